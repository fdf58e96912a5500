import type { Tenant } from '../../api/tenant.ts';
import type { KubeHttp } from '../../kube/http.ts';
import { houseAdminSecretName } from '../../tenancy/names.ts';
import { houseCredentialsPath } from './house-credentials.ts';

/** Time between two attempts at a watch that failed (the namespace not there yet, the binding not yet in force). */
const retryMs = 5000;

/**
 * One watch per house on its kubeconfig Secret `vc-<team>` (by name, in its namespace: where the operator may read
 * Secrets), so the registration follows a change of credentials at once. Each event only queues the tenant: its
 * content is never read here, logged or kept.
 */
export class HouseCredentialWatches {
  private readonly watches = new Map<string, AbortController>();
  private readonly http: KubeHttp;
  private readonly changed: (tenantName: string) => void;

  constructor(http: KubeHttp, changed: (tenantName: string) => void) {
    this.http = http;
    this.changed = changed;
  }

  /** Starts watching the house's Secret, unless already watched. */
  follow(tenant: Tenant): void {
    const name = tenant.metadata.name;
    if (this.watches.has(name)) return;
    const stop = new AbortController();
    this.watches.set(name, stop);
    void this.run(tenant, stop.signal);
  }

  /** Stops watching a house (its teardown). */
  forget(tenantName: string): void {
    this.watches.get(tenantName)?.abort();
    this.watches.delete(tenantName);
  }

  /** Stops every watch (the leadership ends). */
  stopAll(): void {
    for (const name of [...this.watches.keys()]) this.forget(name);
  }

  private async run(tenant: Tenant, signal: AbortSignal): Promise<void> {
    const fieldSelector = `metadata.name=${houseAdminSecretName(tenant)}`;
    while (!signal.aborted) {
      try {
        await this.http.stream(
          {
            method: 'GET',
            path: houseCredentialsPath(tenant),
            query: { watch: 'true', fieldSelector, timeoutSeconds: '300' },
          },
          (line) => {
            const type = (JSON.parse(line) as { type?: string }).type;
            if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') this.changed(tenant.metadata.name);
          },
          signal,
        );
      } catch {
        // Retried below; the reconcile reports what is missing (HouseRegistered), with no credential in it.
      }
      if (!signal.aborted) await new Promise((resolve) => setTimeout(resolve, retryMs).unref());
    }
  }
}
