import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import type { LooseDocument } from '../../../test/fixtures/tenants.ts';
import { storedTenant } from '../../../test/fixtures/tenant-objects.ts';
import { houseArgoCdComponents } from '../../api/house-settings.ts';
import { defaultPlatformConfig as platform } from '../../api/platform-config.ts';
import { buildDesiredState } from '../desired-state.ts';
import { renderTenantFolder } from '../gitops-folder.ts';
import { houseArgoCdFootprint, houseArgoCdPolicy } from './tenant-argocd.ts';

const house = (edit: (t: LooseDocument) => void = () => {}) =>
  storedTenant((t) => {
    t.spec.isolation = 'vcluster';
    delete t.spec.nodePool;
    edit(t);
  });
const applicationOf = (tenant = house()) =>
  buildDesiredState(tenant, platform)
    .flatMap((part) => part.objects)
    .find((object) => object.kind === 'Application' && object.metadata.name === 'argocd-devteam-a');
const patchesOf = (tenant = house()) =>
  ((applicationOf(tenant)?.spec as LooseDocument).source.kustomize.patches as { patch: string }[]).map(
    (entry) => parse(entry.patch) as LooseDocument,
  );
const patchOf = (kind: string, name: string) =>
  patchesOf().find((patch) => patch.kind === kind && patch.metadata.name === name && !patch.$patch);

describe('the team’s own Argo CD in its house, as the host Argo CD installs it', () => {
  it('is an Application of the house’s project into argocd inside the house, automated, deleted with what it made', () => {
    const app = applicationOf();
    assert.ok(app, 'argocd-devteam-a is in the desired state');
    const spec = app.spec as LooseDocument;
    assert.equal(app.metadata.namespace, 'argocd');
    assert.equal(spec.project, 'vcluster-devteam-a');
    assert.deepEqual(spec.destination, { server: 'https://vcluster-devteam-a.landlord.local', namespace: 'argocd' });
    assert.deepEqual(spec.syncPolicy.automated, { prune: true, selfHeal: true });
    assert.deepEqual(spec.syncPolicy.syncOptions, ['CreateNamespace=true', 'ServerSideApply=true']);
    // A transient failure of the first sync is retried: the pinned revision never changes by itself.
    assert.equal(spec.syncPolicy.retry.limit, -1);
    assert.deepEqual(app.metadata.finalizers, ['resources-finalizer.argocd.argoproj.io']);
    const { repoURL, path, targetRevision } = spec.source;
    assert.deepEqual({ repoURL, path, targetRevision }, platform.houses.argocd.manifests);
  });

  it('takes its images from the platform’s mirror', () => {
    const { images } = (applicationOf()?.spec as LooseDocument).source.kustomize;
    assert.deepEqual(images, [
      'quay.io/argoproj/argocd=registry.landlord.local/argoproj/argocd:v3.5.7',
      'public.ecr.aws/docker/library/redis=registry.landlord.local/library/redis:8.2.3-alpine',
    ]);
  });

  it('signs people in through the central Dex with the house’s own client, and nobody without it', () => {
    const data = patchOf('ConfigMap', 'argocd-cm')?.data as Record<string, string>;
    assert.equal(data.url, 'https://argocd-devteam-a.landlord.local');
    assert.deepEqual(parse(data['oidc.config'] ?? ''), {
      name: 'Company directory',
      issuer: platform.sso.issuer,
      clientID: 'argocd-devteam-a',
      clientSecret: '$landlord-sso:clientSecret',
      requestedScopes: ['openid', 'profile', 'email', 'groups'],
    });
    assert.equal(data['admin.enabled'], 'false');
    assert.equal(data['users.anonymous.enabled'], 'false');
    assert.equal(data['dex.config'], undefined);
    assert.equal((patchOf('ConfigMap', 'argocd-cmd-params-cm')?.data as LooseDocument)['server.insecure'], 'true');
  });

  it('makes the team’s group and the platform’s admins role:admin, and gives everyone else nothing', () => {
    const data = patchOf('ConfigMap', 'argocd-rbac-cm')?.data as Record<string, string>;
    assert.equal(data['policy.default'], '');
    assert.equal(data['policy.csv'], 'g, devteam-a, role:admin\ng, platform-admins, role:admin\n');
    assert.equal(data.scopes, '[groups]');
    const twice = houseArgoCdPolicy(
      house((t) => (t.spec.adGroup = 'platform-admins')),
      platform,
    );
    assert.equal(twice, 'g, platform-admins, role:admin\n');
  });

  it('removes upstream’s bundled Dex whole', () => {
    const deleted = patchesOf()
      .filter((patch) => patch.$patch === 'delete')
      .map((patch) => `${patch.kind}/${patch.metadata.name}`);
    assert.deepEqual(deleted.sort(), [
      'Deployment/argocd-dex-server',
      'NetworkPolicy/argocd-dex-server-network-policy',
      'Role/argocd-dex-server',
      'RoleBinding/argocd-dex-server',
      'Service/argocd-dex-server',
      'ServiceAccount/argocd-dex-server',
    ]);
  });

  it('sizes every component from the platform’s footprint, init containers too', () => {
    for (const component of houseArgoCdComponents) {
      const patch = patchesOf().find((p) => p.metadata.name === component && p.spec);
      const size = platform.houses.argocd.footprint[component];
      assert.equal(patch?.spec.replicas, size.replicas, component);
      const pod = patch?.spec.template.spec;
      for (const container of [...(pod.initContainers ?? []), ...pod.containers])
        assert.deepEqual(container.resources, { requests: size.requests, limits: size.limits }, component);
    }
  });

  it('is not there when the tenant asks for no Argo CD, nor for a namespace tenant', () => {
    assert.equal(applicationOf(house((t) => (t.spec.services = { argocd: false }))), undefined);
    assert.equal(applicationOf(storedTenant()), undefined);
  });

  it('renders beside the house’s Application, in vclusters/<team>/argocd-application.yaml', () => {
    const files = renderTenantFolder(house(), platform);
    const text = files.get('vclusters/devteam-a/argocd-application.yaml') ?? '';
    assert.match(text, /name: argocd-devteam-a/);
    assert.doesNotMatch(files.get('vclusters/devteam-a/vcluster-application.yaml') ?? '', /argocd-devteam-a/);
  });

  it('adds up its footprint as replicas times each component’s requests and limits', () => {
    const footprint = houseArgoCdFootprint(platform);
    assert.deepEqual(footprint, {
      requests: { cpu: 250n, memory: 640n * 1024n ** 2n * 1000n },
      limits: { cpu: 3000n, memory: 3n * 1024n ** 3n * 1000n },
    });
    const doubled = structuredClone(platform);
    doubled.houses.argocd.footprint['argocd-server'].replicas = 2;
    assert.equal(houseArgoCdFootprint(doubled).requests.cpu, 300n);
  });
});
