import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { KubernetesObject } from '../../src/kube/object.ts';
import type { ConfigMap as V1ConfigMap } from 'kubernetes-types/core/v1.js';
import { applyObject } from '../../src/kube/apply.ts';
import { installCrds } from '../../src/kube/crds.ts';
import { Informer, type InformerEvent } from '../../src/kube/informer.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { waitFor } from '../support/wait.ts';

const { http, discovery } = testCluster();
const namespace = uniqueName('informer');
const informers: Informer<KubernetesObject>[] = [];
after(async () => {
  for (const informer of informers) await informer.stop();
  await http.send({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}` });
});

function watchConfigMaps(options: Partial<ConstructorParameters<typeof Informer>[1]> = {}) {
  const events: InformerEvent<V1ConfigMap>[] = [];
  const informer = new Informer<V1ConfigMap>(http, {
    path: `/api/v1/namespaces/${namespace}/configmaps`,
    labelSelector: 'test=informer',
    ...options,
  } as ConstructorParameters<typeof Informer<V1ConfigMap>>[1]);
  informer.on((event) => events.push(event));
  informers.push(informer as Informer<KubernetesObject>);
  return { informer, events };
}

const configMap = (name: string, data: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, labels: { test: 'informer' } },
  data,
});

describe('Informer', () => {
  it('lists, then sees additions, changes and deletions through the watch', async () => {
    await http.request({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: namespace } } });
    await applyObject(http, discovery, configMap('before'));
    const { informer, events } = watchConfigMaps();
    await informer.start();
    assert.deepEqual(
      informer.list().map((object) => object.metadata?.name),
      ['before'],
    );
    assert.equal(informer.get(`${namespace}/before`)?.kind, 'ConfigMap', 'listed objects carry their kind');
    assert.equal(informer.get(`${namespace}/before`)?.apiVersion, 'v1');
    await applyObject(http, discovery, configMap('after'));
    await applyObject(http, discovery, configMap('before', { changed: 'yes' }));
    await http.request({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}/configmaps/after` });
    await waitFor(async () => events.some((event) => event.type === 'delete'), 'the deletion');
    assert.deepEqual(
      events.map((event) => `${event.type} ${event.object.metadata?.name}`),
      ['add before', 'add after', 'update before', 'delete after'],
    );
    assert.equal(informer.get(`${namespace}/before`)?.data?.changed, 'yes');
  });

  it('resumes from a snapshot, replaying what happened since its resourceVersion', async () => {
    const { informer: first } = watchConfigMaps();
    await first.start();
    const snapshot = { resourceVersion: first.list().at(-1)?.metadata?.resourceVersion ?? '', objects: first.list() };
    await applyObject(http, discovery, configMap('while-away'));
    const { informer, events } = watchConfigMaps({ resumeFrom: snapshot });
    await informer.start();
    await waitFor(async () => informer.get(`${namespace}/while-away`) !== undefined, 'the replayed addition');
    assert.ok(events.some((event) => event.type === 'add' && event.object.metadata?.name === 'while-away'));
    assert.ok(
      !events.some((event) => event.object.metadata?.name === 'before' && event.type === 'add'),
      'no replay of what the snapshot had',
    );
  });

  it('keeps retrying through errors and catches up once the resource exists', async () => {
    const plural = `widgets${Date.now().toString(36)}`;
    const errors: unknown[] = [];
    const informer = new Informer<KubernetesObject>(http, {
      path: `/apis/test.landlord.dev/v1/${plural}`,
      onError: (error) => errors.push(error),
    });
    informers.push(informer);
    // Not awaited: start() resolves only once the CRD below exists; it never rejects (list errors go to onError).
    void informer.start();
    await waitFor(async () => errors.length >= 2, 'repeated errors while the CRD is missing');
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${plural}.test.landlord.dev` },
      spec: {
        group: 'test.landlord.dev',
        scope: 'Cluster',
        names: { plural, kind: `Widget${plural}`, singular: plural.slice(0, -1), listKind: `Widget${plural}List` },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    };
    await installCrds(http, discovery, [crd]);
    await http.request({
      method: 'POST',
      path: `/apis/test.landlord.dev/v1/${plural}`,
      body: { apiVersion: 'test.landlord.dev/v1', kind: `Widget${plural}`, metadata: { name: 'one' } },
    });
    await waitFor(async () => informer.get('one') !== undefined, 'the informer to recover and see the object', 60_000);
    assert.equal(informer.hasSynced, true);
    await http.request({
      method: 'DELETE',
      path: `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`,
    });
  });
});
