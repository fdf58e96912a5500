import { tenantApiVersion, tenantKind } from '../api/crd.ts';
import type { Tenant } from '../api/tenant.ts';
import type { KubeHttp } from '../kube/http.ts';
import type { WriteCounter } from './applier.ts';
import { apiPath } from '../kube/api-path.ts';
import { resources } from '../kube/resources.ts';

/** Records Kubernetes Events on Tenants, for what a person should see in `kubectl describe tenant`. */
export class EventRecorder {
  private readonly http: KubeHttp;
  private readonly instance: string;
  private readonly countWrite: WriteCounter;

  constructor(http: KubeHttp, instance: string, countWrite: WriteCounter) {
    this.http = http;
    this.instance = instance;
    this.countWrite = countWrite;
  }

  /** Records one event; a failure to record never fails a reconcile. */
  async record(tenant: Tenant, type: 'Normal' | 'Warning', reason: string, note: string): Promise<void> {
    const now = new Date();
    // Events of cluster-scoped objects live in the default namespace.
    const event = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      // Named like client-go's events: <object>.<hex time>, unique and sortable.
      metadata: {
        name: `${tenant.metadata.name}.${(now.getTime() * 1000 + Math.floor(Math.random() * 1000)).toString(16)}`,
        namespace: 'default',
      },
      eventTime: now.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z'),
      reportingController: 'landlord.dev/operator',
      reportingInstance: this.instance,
      action: reason,
      reason,
      note: note.slice(0, 1024),
      type,
      regarding: {
        apiVersion: tenantApiVersion,
        kind: tenantKind,
        name: tenant.metadata.name,
        uid: tenant.metadata.uid,
      },
    };
    try {
      await this.http.request({
        method: 'POST',
        path: apiPath(resources.event, { namespace: 'default' }),
        body: event,
      });
      this.countWrite('event');
    } catch {
      // Events are best effort, as in client-go's recorder.
    }
  }
}
