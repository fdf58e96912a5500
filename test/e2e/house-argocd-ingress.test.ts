import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { type LabelSelector, matchesSelector } from '../../src/audit/label-selector.ts';
import { apiPath } from '../../src/kube/api-path.ts';
import type { KubeHttp } from '../../src/kube/http.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { createHouse, houseClient } from '../support/house.ts';
import { startOperator, waitForPhase } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

// Run under `flock /tmp/landlord-house-e2e.lock`: houses of the same team in two clusters share a loopback address.
const { http } = testCluster();
startOperator({
  platform: (platform) => ({
    ...platform,
    houses: {
      ...platform.houses,
      argocd: { ...platform.houses.argocd, ingress: { enabled: true, className: 'nginx' } },
    },
  }),
});
const team = uniqueName('hing');
const other = uniqueName('hing-other');
const domain = testEnvironment().platform.domain;
const host = `argocd-${team}.${domain}`;
const hostNamespace = `vcluster-${team}`;
const tenants = '/apis/landlord.dev/v1alpha1/tenants';
const ingressPath = (namespace: string, name?: string) =>
  `/apis/networking.k8s.io/v1/namespaces/${namespace}/ingresses${name ? `/${name}` : ''}`;

interface IngressObject {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: {
    ingressClassName?: string;
    tls?: { hosts?: string[]; secretName?: string }[];
    rules?: {
      host?: string;
      http?: { paths: { backend: { service: { name: string; port: { number: number } } } }[] };
    }[];
  };
}

/** The host's copy of an Ingress of the house, found by the names vCluster records on it. */
async function onHost(namespace: string, name: string): Promise<IngressObject | undefined> {
  const list = await http.request<{ items: IngressObject[] }>({ method: 'GET', path: ingressPath(hostNamespace) });
  return list.items.find(
    (item) =>
      item.metadata.annotations?.['vcluster.loft.sh/object-name'] === name &&
      item.metadata.annotations['vcluster.loft.sh/object-namespace'] === namespace,
  );
}

const services = { apiVersion: 'v1', kind: 'Service', plural: 'services', namespaced: true };

/** An Ingress's hosts: its rules', its TLS entries', and the TLS Secrets it names. */
function hostsOf(ingress: IngressObject): { rules: string[]; tls: string[]; secretNames: string[] } {
  const tls = ingress.spec.tls ?? [];
  return {
    rules: (ingress.spec.rules ?? []).map((rule) => rule.host ?? ''),
    tls: tls.flatMap((entry) => entry.hosts ?? []),
    secretNames: tls.flatMap((entry) => (entry.secretName ? [entry.secretName] : [])),
  };
}

/** The Ingress argocd/argocd-server inside the house, once the operator has written it. */
async function insideArgoCdIngress(house: KubeHttp): Promise<IngressObject> {
  let inside: IngressObject | undefined;
  await waitFor(
    async () => {
      const answer = await house.send({ method: 'GET', path: ingressPath('argocd', 'argocd-server') });
      if (answer.status === 200) inside = JSON.parse(answer.body) as IngressObject;
      return inside !== undefined;
    },
    'the Ingress argocd/argocd-server inside the house',
    600_000,
    1000,
  );
  return inside as IngressObject;
}

/** The host's copy of an Ingress of the house, once vCluster has synced it. */
async function waitOnHost(namespace: string, name: string): Promise<IngressObject> {
  let synced: IngressObject | undefined;
  await waitFor(
    async () => (synced = await onHost(namespace, name)) !== undefined,
    `Ingress ${namespace}/${name} of the house on the host in ${hostNamespace}`,
    120_000,
    1000,
  );
  return synced as IngressObject;
}

interface PodObject {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
}

/** A pod Pod Security `restricted` and the registry guardrail admit on the host. */
const restrictedPod = {
  securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [
    {
      name: 'app',
      image: 'registry.financecore.local/app:1',
      resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '20m', memory: '32Mi' } },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    },
  ],
};

/** The pods of the house's host namespace. */
async function hostPods(): Promise<PodObject[]> {
  return (
    await http.request<{ items: PodObject[] }>({ method: 'GET', path: `/api/v1/namespaces/${hostNamespace}/pods` })
  ).items;
}

/** Whether a host object is vCluster's copy of namespace/name inside the house. */
const isCopyOf = (object: PodObject | IngressObject, namespace: string, name: string) =>
  object.metadata.annotations?.['vcluster.loft.sh/object-name'] === name &&
  object.metadata.annotations['vcluster.loft.sh/object-namespace'] === namespace;

/** An Ingress the team writes inside its house (it is cluster-admin there) for the hosts given. */
const teamIngress = (name: string, hosts: string[]) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, namespace: 'default' },
  spec: {
    ingressClassName: 'nginx',
    rules: hosts.map((h) => ({
      ...(h ? { host: h } : {}),
      http: {
        paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'shop', port: { number: 80 } } } }],
      },
    })),
  },
});

/** The warnings vCluster recorded inside the house on one of its objects: its failed syncs to the host. */
async function syncErrors(house: KubeHttp, name: string, namespace = 'default'): Promise<string[]> {
  const events = await house.request<{
    items: { reason: string; message?: string; note?: string; involvedObject?: { name: string } }[];
  }>({ method: 'GET', path: `/api/v1/namespaces/${namespace}/events` });
  return events.items
    .filter((event) => event.involvedObject?.name === name && event.reason === 'SyncError')
    .map((event) => event.message ?? '');
}

describe('a house’s own Argo CD behind the platform’s ingress (real vCluster syncing Ingresses to the host)', () => {
  after(() => http.send({ method: 'DELETE', path: `${tenants}/${team}` }).then(() => undefined));

  it('gets an Ingress inside the house, synced to the host for argocd-<team>.<domain> with TLS, to argocd-server', async () => {
    await createHouse(team, '1.36');
    await waitForPhase(team, 'Ready', 600_000);
    const house = await houseClient(team);
    try {
      const inside = await insideArgoCdIngress(house);
      assert.deepEqual(hostsOf(inside), { rules: [host], tls: [host], secretNames: [] });
    } finally {
      house.close();
    }
    const synced = await waitOnHost('argocd', 'argocd-server');
    // No secretName on the host either: TLS with the controller's default certificate.
    assert.deepEqual(hostsOf(synced), { rules: [host], tls: [host], secretNames: [] });
    assert.equal(synced.spec.ingressClassName, 'nginx');
    // The backend is the synced argocd-server Service of the host namespace, not a name in the house.
    const backend = synced.spec.rules?.[0]?.http?.paths[0]?.backend.service;
    assert.equal(backend?.port.number, 80);
    assert.notEqual(backend?.name, 'argocd-server');
    // The Service comes with the host Application's sync, which may finish after the Ingress is written.
    let service: { metadata: { annotations?: Record<string, string> } } | undefined;
    await waitFor(
      async () => {
        const answer = await http.send({
          method: 'GET',
          path: apiPath(services, { namespace: hostNamespace, name: backend?.name ?? '' }),
        });
        if (answer.status === 200) service = JSON.parse(answer.body) as typeof service;
        return service !== undefined;
      },
      `the Service ${backend?.name} the synced Ingress points at`,
      300_000,
      1000,
    );
    assert.equal(service?.metadata.annotations?.['vcluster.loft.sh/object-name'], 'argocd-server');
    assert.equal(service?.metadata.annotations?.['vcluster.loft.sh/object-namespace'], 'argocd');
  });

  it('refuses on the host any Ingress the team makes for another team’s or the platform’s host; its own pass', async () => {
    const house = await houseClient(team);
    const hostile: Record<string, string[]> = {
      'other-team': [`${other}.${domain}`],
      'other-team-sub': [`shop.${other}.${domain}`],
      'other-argocd': [`argocd-${other}.${domain}`],
      'other-house-api': [`vcluster-${other}.${domain}`],
      // The platform's own Argo CD host in production (the local one answers on loopback).
      'platform-argocd': [`argocd.${domain}`],
      'whole-domain': [`*.${domain}`],
      'no-host': [''],
    };
    try {
      for (const [name, hosts] of Object.entries(hostile))
        await house.request({ method: 'POST', path: ingressPath('default'), body: teamIngress(name, hosts) });
      // The control: the team's own subdomain reaches the host, so the syncer did run over the others.
      await house.request({
        method: 'POST',
        path: ingressPath('default'),
        body: teamIngress('own', [`shop.${team}.${domain}`]),
      });
      await waitOnHost('default', 'own');
      for (const name of Object.keys(hostile)) {
        await waitFor(
          async () => (await syncErrors(house, name)).some((m) => m.includes('landlord guardrail')),
          `vCluster to report the host refusing Ingress default/${name}`,
          60_000,
          1000,
        );
        assert.equal(await onHost('default', name), undefined, `${name} never reaches the host`);
      }
    } finally {
      for (const name of [...Object.keys(hostile), 'own'])
        await house.send({ method: 'DELETE', path: ingressPath('default', name) });
      house.close();
    }
  });

  it('keeps another team’s host off the host when the team edits its Argo CD Ingress, and puts the Ingress back', async () => {
    const house = await houseClient(team);
    try {
      const stolen = `argocd-${other}.${domain}`;
      const backend = { service: { name: 'argocd-server', port: { number: 80 } } };
      await house.request({
        method: 'PATCH',
        path: ingressPath('argocd', 'argocd-server'),
        contentType: 'application/merge-patch+json',
        body: { spec: { rules: [{ host: stolen, http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }] } },
      });
      // Every host the host's copy claims while the edit stands, until the operator puts the Ingress back.
      const seen = new Set<string>();
      await waitFor(
        async () => {
          for (const rule of (await onHost('argocd', 'argocd-server'))?.spec.rules ?? []) seen.add(rule.host ?? '');
          const inside = await house.request<IngressObject>({
            method: 'GET',
            path: ingressPath('argocd', 'argocd-server'),
          });
          return inside.spec.rules?.[0]?.host === host;
        },
        'the operator to put the Ingress back',
        120_000,
        500,
      );
      assert.deepEqual([...seen], [host], 'the host copy never took the other team’s host');
      assert.ok(
        (await syncErrors(house, 'argocd-server', 'argocd')).some((m) => m.includes('landlord guardrail')),
        'vCluster reported the host refusing the edit',
      );
    } finally {
      house.close();
    }
  });

  it('gives a pod the team dresses as argocd-server elsewhere in its house none of its Argo CD’s network policies', async () => {
    const house = await houseClient(team);
    const disguise = { 'vcluster.loft.sh/namespace': 'argocd', 'app.kubernetes.io/name': 'argocd-server' };
    try {
      await house.request({
        method: 'POST',
        path: '/api/v1/namespaces/default/pods',
        body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'dressed', labels: disguise }, spec: restrictedPod },
      });
      let copy: PodObject | undefined;
      await waitFor(
        async () => (copy = (await hostPods()).find((pod) => isCopyOf(pod, 'default', 'dressed'))) !== undefined,
        'the dressed pod on the host',
        60_000,
        500,
      );
      // The positive control: the real argocd-server, synced from the house's argocd namespace.
      const isServer = (pod: PodObject) =>
        pod.metadata.annotations?.['vcluster.loft.sh/object-namespace'] === 'argocd' &&
        pod.metadata.labels?.['app.kubernetes.io/name'] === 'argocd-server';
      let real: PodObject | undefined;
      await waitFor(
        async () => (real = (await hostPods()).find(isServer)) !== undefined,
        'the house’s argocd-server pod on the host',
        180_000,
        1000,
      );
      assert.equal(
        copy?.metadata.labels?.['vcluster.loft.sh/namespace'],
        'default',
        'the syncer’s label, not the team’s',
      );
      const { items } = await http.request<{
        items: { metadata: { name: string }; spec: { podSelector: LabelSelector } }[];
      }>({
        method: 'GET',
        path: `/apis/networking.k8s.io/v1/namespaces/${hostNamespace}/networkpolicies`,
      });
      const argocd = items.filter((policy) => policy.metadata.name.startsWith('allow-argocd-'));
      assert.deepEqual(argocd.map((policy) => policy.metadata.name).sort(), [
        'allow-argocd-egress',
        'allow-argocd-ingress',
      ]);
      for (const policy of argocd) {
        assert.ok(
          !matchesSelector(policy.spec.podSelector, copy?.metadata.labels ?? {}),
          `${policy.metadata.name} selects the dressed pod`,
        );
        assert.ok(
          matchesSelector(policy.spec.podSelector, real?.metadata.labels ?? {}),
          `${policy.metadata.name} selects argocd-server`,
        );
      }
    } finally {
      await house.send({ method: 'DELETE', path: '/api/v1/namespaces/default/pods/dressed' });
      house.close();
    }
  });
});
