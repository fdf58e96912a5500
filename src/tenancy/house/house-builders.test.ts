import assert from 'node:assert/strict';
import type { LooseDocument } from '../../../test/fixtures/tenants.ts';
import { describe, it } from 'node:test';
import { storedTenant } from '../../../test/fixtures/tenant-objects.ts';
import { defaultPlatformConfig as platform } from '../../api/platform-config.ts';
import { buildDesiredState } from '../desired-state.ts';
import { renderTenantFolder } from '../gitops-folder.ts';
import type { Manifest } from '../manifest.ts';
import { houseQuotaShortfall } from './quota.ts';
import { splitImage } from './values.ts';

const house = (edit: (t: LooseDocument) => void = () => {}) =>
  storedTenant((t) => {
    t.spec.isolation = 'vcluster';
    t.spec.kubernetesVersion = '1.35';
    delete t.spec.nodePool;
    edit(t);
  });
const objectsOf = (tenant = house()) => buildDesiredState(tenant, platform).flatMap((part) => part.objects);
const find = (objects: Manifest[], kind: string, name?: string) =>
  objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));

describe('the desired state of a house', () => {
  const objects = objectsOf();

  it('puts everything on the host in vcluster-<team> or Argo CD’s namespace, nothing in the team namespace', () => {
    for (const object of objects) {
      if (object.kind === 'Namespace') assert.equal(object.metadata.name, 'vcluster-devteam-a');
      else assert.ok(['vcluster-devteam-a', 'argocd'].includes(object.metadata.namespace ?? ''), object.kind);
    }
  });

  it('labels the namespace as a house, Pod Security restricted, and never names the team’s group', () => {
    const [namespace] = find(objects, 'Namespace');
    assert.equal(namespace?.metadata.labels?.['landlord.dev/vcluster'], 'true');
    assert.equal(namespace?.metadata.labels?.['landlord.dev/tenant'], 'devteam-a');
    assert.equal(namespace?.metadata.labels?.['pod-security.kubernetes.io/enforce'], 'restricted');
    assert.equal(namespace?.metadata.annotations?.['landlord.dev/ad-group'], undefined);
  });

  it('gives the team’s directory group no binding at all on the host', () => {
    for (const binding of find(objects, 'RoleBinding')) {
      const subjects = binding.subjects as { kind: string; name: string }[];
      assert.ok(
        subjects.every((s) => s.kind === 'ServiceAccount'),
        JSON.stringify(subjects),
      );
    }
    const names = find(objects, 'RoleBinding').map((b) => (b.roleRef as { name: string }).name);
    assert.deepEqual(names.sort(), ['landlord-house-deployer', 'landlord-house-registrar']);
  });

  it('selects the control plane by what the team cannot set: no syncer marker', () => {
    const policy = find(objects, 'NetworkPolicy', 'allow-virtual-api-server')[0];
    const selector = (policy?.spec as { podSelector: { matchExpressions: unknown[] } }).podSelector;
    assert.deepEqual(selector.matchExpressions, [{ key: 'vcluster.loft.sh/managed-by', operator: 'DoesNotExist' }]);
    const from = JSON.stringify((policy?.spec as { ingress: unknown[] }).ingress);
    for (const namespace of ['ingress-nginx', 'argocd', 'landlord-system']) assert.ok(from.includes(namespace));
    assert.ok(from.includes('8443'));
  });

  it('lets the control plane reach the host API server’s ports, at its addresses once the platform names them', () => {
    const egressOf = (config: typeof platform) =>
      (
        buildDesiredState(house(), config)
          .flatMap((part) => part.objects)
          .find((o) => o.metadata.name === 'allow-control-plane-to-host-api')?.spec as { egress: LooseDocument[] }
      ).egress;
    const ports = [
      { protocol: 'TCP', port: 443 },
      { protocol: 'TCP', port: 6443 },
    ];
    assert.deepEqual(egressOf(platform), [{ ports }]);
    const named = {
      ...platform,
      houses: { ...platform.houses, hostAPIServerCIDRs: ['10.96.0.1/32', '192.168.1.10/32'] },
    };
    assert.deepEqual(egressOf(named), [
      { to: [{ ipBlock: { cidr: '10.96.0.1/32' } }, { ipBlock: { cidr: '192.168.1.10/32' } }], ports },
    ]);
  });

  it('scopes the house AppProject to the chart repository and exact destinations, impersonating on both', () => {
    const [project] = find(objects, 'AppProject');
    const spec = project?.spec as LooseDocument;
    assert.equal(project?.metadata.name, 'vcluster-devteam-a');
    // The chart, and upstream's Argo CD manifests for the team's own Argo CD; without it, the chart alone.
    assert.deepEqual(spec.sourceRepos, [platform.houses.chart.repoURL, platform.houses.argocd.manifests.repoURL]);
    const without = find(objectsOf(house((t) => (t.spec.services = { argocd: false }))), 'AppProject')[0];
    assert.deepEqual((without?.spec as LooseDocument).sourceRepos, [platform.houses.chart.repoURL]);
    assert.deepEqual(spec.destinations[0], {
      server: platform.argocd.destinationServer,
      namespace: 'vcluster-devteam-a',
    });
    assert.deepEqual(
      spec.destinationServiceAccounts[0].defaultServiceAccount,
      'vcluster-devteam-a:landlord-house-deployer',
    );
    assert.ok(!JSON.stringify(spec).includes('"*"') || spec.destinations[1].server !== '*');
  });

  it('registers the house without credentials in the desired state', () => {
    const [secret] = find(objects, 'Secret');
    assert.equal(secret?.metadata.labels?.['argocd.argoproj.io/secret-type'], 'cluster');
    assert.equal(secret?.metadata.labels?.tenant, 'devteam-a');
    assert.deepEqual(Object.keys(secret?.stringData as object).sort(), ['name', 'project', 'server']);
  });

  it('installs the chart at the patch release the platform pins for the tenant’s minor', () => {
    const [app] = find(objects, 'Application');
    const values = (app?.spec as LooseDocument).source.helm.valuesObject;
    assert.equal(values.controlPlane.distro.k8s.image.tag, platform.houses.kubernetesVersions['1.35']);
    assert.equal(values.controlPlane.statefulSet.image.repository, 'loft-sh/vcluster-oss');
    assert.equal(values.telemetry.enabled, false);
    assert.deepEqual(app?.metadata.finalizers, ['resources-finalizer.argocd.argoproj.io']);
  });

  it('re-renders the Application when the minor moves up: only the Kubernetes image changes', () => {
    const valuesOf = (minor: string) =>
      (find(objectsOf(house((t) => (t.spec.kubernetesVersion = minor))), 'Application')[0]?.spec as LooseDocument)
        .source.helm.valuesObject;
    const [before, after] = [valuesOf('1.35'), valuesOf('1.36')];
    assert.equal(after.controlPlane.distro.k8s.image.tag, platform.houses.kubernetesVersions['1.36']);
    after.controlPlane.distro.k8s.image.tag = before.controlPlane.distro.k8s.image.tag;
    assert.deepEqual(after, before);
  });

  it('puts a pool house’s pods on its nodes by the namespace’s placement and the pool toleration', () => {
    const pooled = objectsOf(house((t) => (t.spec.nodePool = { size: 1, instanceType: 'standard' })));
    const values = (find(pooled, 'Application')[0]?.spec as LooseDocument).source.helm.valuesObject;
    assert.equal(find(pooled, 'Namespace')[0]?.metadata.annotations?.['landlord.dev/dedicated-nodes'], 'devteam-a');
    assert.equal(values.sync.fromHost, undefined, 'no node sync: it needs a ClusterRole on every node and pod');
    assert.deepEqual(values.sync.toHost.pods.enforceTolerations, [
      `${platform.nodePools.taintKey}=devteam-a:NoSchedule`,
    ]);
  });

  it('keeps the house’s ServiceAccount tokens out of the host pods’ annotations: the syncer writes them to Secrets', () => {
    const values = (find(objectsOf(house()), 'Application')[0]?.spec as LooseDocument).source.helm.valuesObject;
    assert.equal(values.sync.toHost.pods.useSecretsForSATokens, true);
  });

  it('takes the hosts-file init container of StatefulSet pods from the mirror, as every other image', () => {
    const values = (find(objectsOf(house()), 'Application')[0]?.spec as LooseDocument).source.helm.valuesObject;
    assert.deepEqual(values.sync.toHost.pods.rewriteHosts.initContainer.image, {
      registry: 'registry.landlord.local',
      repository: 'library/alpine',
      tag: '3.20',
    });
  });

  it('renders the article’s layout under vclusters/<team>', () => {
    const files = [...renderTenantFolder(house(), platform).keys()];
    for (const file of [
      'values.yaml',
      'vcluster-application.yaml',
      'resources/network-policy.yaml',
      'resources/rbac.yaml',
    ])
      assert.ok(files.includes(`vclusters/devteam-a/${file}`), `${file} in ${files.join(', ')}`);
  });
});

describe('houseQuotaShortfall', () => {
  it('is nothing when the quota holds the control plane', () => {
    assert.equal(houseQuotaShortfall(house(), platform), undefined);
  });

  it('says how much the quota lacks and what to ask for', () => {
    const small = house((t) => {
      t.spec.resourceQuota = { cpu: '100m', memory: '256Mi', storage: '1Gi' };
      t.spec.services = { argocd: false };
    });
    const message = houseQuotaShortfall(small, platform) ?? '';
    assert.match(message, /requests\.cpu 200m \(the quota gives 100m\)/);
    assert.match(message, /limits\.memory 4Gi/);
    assert.match(message, /spec\.resourceQuota\.cpu: 1\b/);
    assert.match(message, /spec\.resourceQuota\.memory: 2Gi/);
    assert.match(message, /spec\.resourceQuota\.storage: 5Gi/);
  });
});

describe('splitImage', () => {
  it('splits registry, repository and tag as the chart takes them', () => {
    assert.deepEqual(splitImage('registry.landlord.local/loft-sh/vcluster-oss:0.36.1'), {
      registry: 'registry.landlord.local',
      repository: 'loft-sh/vcluster-oss',
      tag: '0.36.1',
    });
  });
});
