// Issue 12 point 4: the guardrails in the API server, tried by a member of team A through kubectl (impersonation of
// the user and the team's directory group), and in a namespace without Landlord's labels (fail closed).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { apiPath } from '../../src/kube/api-path.ts';
import { admissionSettingsName } from '../../src/platform/admission-settings.ts';
import { landlordNamespace } from '../../src/platform/platform-network.ts';
import { resources } from '../../src/kube/resources.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { asBreakGlass } from '../support/break-glass.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { deployment, ingress, pod, service } from '../support/guardrail-objects.ts';
import { kubectl } from '../support/kubectl.ts';
import { startOperator, waitForPhase } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

const { http, kubeconfig } = testCluster();
const { domain } = testEnvironment().platform;
startOperator();
const [teamA, teamB] = [uniqueName('guard-a'), uniqueName('guard-b')];
const unlabelled = uniqueName('guard-plain');
const services = { apiVersion: 'v1', kind: 'Service', plural: 'services', namespaced: true };
const scratch = mkdtempSync(join(tmpdir(), 'landlord-guardrails-'));

/** kubectl create as someone, in a namespace: its output, or the error kubectl printed. */
async function create(object: object, namespace: string, as: string[]): Promise<{ ok: boolean; output: string }> {
  const file = join(scratch, `${uniqueName('object')}.json`);
  writeFileSync(file, JSON.stringify(object));
  try {
    const { stdout } = await kubectl(kubeconfig, ...as, '-n', namespace, 'create', '-f', file);
    return { ok: true, output: stdout };
  } catch (error) {
    return { ok: false, output: (error as { stderr?: string }).stderr ?? String(error) };
  }
}
const memberOfA = ['--as', 'alice@financecore.example', '--as-group', teamA];
const admin: string[] = [];

/** Asserts the creation is refused by the guardrail's message. */
async function refused(object: object, message: RegExp, namespace = teamA, as = memberOfA): Promise<string> {
  const { ok, output } = await create(object, namespace, as);
  assert.equal(ok, false, `admitted: ${output}`);
  assert.match(output, /Forbidden/, output);
  assert.match(output, message, output);
  return output;
}
async function admitted(object: object, namespace = teamA, as = memberOfA): Promise<void> {
  const { ok, output } = await create(object, namespace, as);
  assert.ok(ok, output);
}

before(async () => {
  for (const team of [teamA, teamB]) {
    const tenant = validTenant(team, team);
    delete tenant.spec.nodePool;
    await http.request({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: tenant });
  }
  for (const team of [teamA, teamB]) await waitForPhase(team, 'Ready');
  await http.request({ method: 'POST', path: apiPath(resources.namespace), body: { metadata: { name: unlabelled } } });
});
after(async () => {
  await http.send({ method: 'DELETE', path: apiPath(resources.namespace, { name: unlabelled }) });
  rmSync(scratch, { recursive: true, force: true });
});

describe('Services: ClusterIP only', () => {
  it('refuses ExternalName, externalIPs, NodePort and LoadBalancer, naming the rule and what to do', async () => {
    await refused(
      service('mitm-name', { type: 'ExternalName', externalName: 'evil.example', selector: undefined }),
      /landlord guardrail \(no ExternalName Services\): Service guard-a-\S+\/mitm-name points at evil.example.*Call the external name from your application directly/,
    );
    await refused(
      service('mitm-ip', { externalIPs: ['10.96.0.1'] }),
      /landlord guardrail \(no externalIPs\): Service \S+\/mitm-ip claims externalIPs 10.96.0.1.*CVE-2020-8554\)\. Remove spec.externalIPs/,
    );
    for (const type of ['NodePort', 'LoadBalancer']) {
      await refused(
        service(`exposed-${type.toLowerCase()}`, { type }),
        new RegExp(`no NodePort or LoadBalancer Services\\): Service \\S+ is of type ${type}.*Use type ClusterIP`),
      );
    }
  });

  it('admits a ClusterIP Service and a headless one', async () => {
    await admitted(service('web'));
    await admitted(service('web-headless', { clusterIP: 'None' }));
  });
});

describe('host access: refused on the object the team wrote', () => {
  it('refuses a Deployment mounting hostPath, at the Deployment', async () => {
    await refused(
      deployment('host-disk', (spec) => {
        spec.volumes = [{ name: 'root', hostPath: { path: '/' } }];
        spec.containers[0].volumeMounts = [{ name: 'root', mountPath: '/host' }];
      }),
      /landlord guardrail \(no hostPath volumes\): Deployment \S+\/host-disk \(its pod template\) mounts the node’s filesystem in volume\(s\) root\. Use a PersistentVolumeClaim/,
    );
  });

  it('refuses hostNetwork, hostPID, hostIPC and hostPort in a pod template, a CronJob and a bare Pod', async () => {
    await refused(
      deployment('host-net', (spec) => Object.assign(spec, { hostNetwork: true, hostPID: true })),
      /no host namespaces\): Deployment \S+\/host-net \(its pod template\) sets hostNetwork, hostPID: true/,
    );
    await refused(
      deployment('host-port', (spec) => {
        spec.containers[0].ports = [{ containerPort: 8080, hostPort: 80 }];
      }),
      /no hostPort\): Deployment \S+\/host-port \(its pod template\) opens a port on the node in container\(s\) app/,
    );
    const cronJob = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'host-ipc' },
      spec: {
        schedule: '0 * * * *',
        jobTemplate: {
          spec: {
            template: { spec: { ...deployment('x').spec.template.spec, hostIPC: true, restartPolicy: 'Never' } },
          },
        },
      },
    };
    await refused(cronJob, /no host namespaces\): CronJob \S+\/host-ipc \(its pod template\) sets hostIPC: true/);
    // In a tenant namespace Pod Security (restricted) runs first and refuses it; the guardrail's own message on a
    // bare Pod is seen where Pod Security does not enforce (the fail-closed test below).
    await refused(
      pod('host-net-pod', { hostNetwork: true }),
      /violates PodSecurity "restricted:latest": host namespaces/,
    );
  });
});

describe('images only from the allowed registries', () => {
  it('refuses an image from an unknown registry, Docker Hub names and the prefix trick, in every kind of container', async () => {
    const image = (name: string, reference: string) =>
      deployment(name, (spec) => {
        spec.containers[0].image = reference;
      });
    await refused(
      image('unknown', 'quay.evil.example/miner:1'),
      /landlord guardrail \(images only from the allowed registries\): Deployment \S+\/unknown \(its pod template\) uses quay.evil.example\/miner:1, from none of the platform’s registries \([^)]*registry.financecore.local[^)]*\)\. Push the image to one of them/,
    );
    await refused(image('hub', 'busybox'), /uses docker.io\/library\/busybox, from none/);
    await refused(
      image('trick', 'registry.financecore.local.evil.com/app:1'),
      /uses registry.financecore.local.evil.com\/app:1, from none/,
    );
    await refused(
      image('port-trick', 'registry.financecore.local:5000/app:1'),
      /uses registry.financecore.local:5000\/app:1/,
    );
    await refused(
      deployment('init', (spec) => {
        spec.initContainers = [{ ...spec.containers[0], name: 'fetch', image: 'evil.example/fetch:1' }];
      }),
      /uses evil.example\/fetch:1/,
    );
  });

  it('refuses a debugging container of an unknown registry added to a running Pod, whoever adds it', async () => {
    const running = deployment('x').spec.template.spec;
    await admitted({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debuggee' }, spec: running });
    // As the cluster admin: the team's role may not add debugging containers at all.
    const debug = await http.send({
      method: 'PATCH',
      path: `/api/v1/namespaces/${teamA}/pods/debuggee/ephemeralcontainers`,
      contentType: 'application/strategic-merge-patch+json',
      body: {
        spec: {
          ephemeralContainers: [
            { name: 'debug', image: 'evil.example/shell:1', securityContext: running.containers[0]?.securityContext },
          ],
        },
      },
    });
    assert.equal(debug.status, 403, debug.body);
    assert.match(debug.body, /images only from the allowed registries\): Pod \S+\/debuggee uses evil.example\/shell:1/);
  });

  it('admits an image of an allowed registry, by tag or digest', async () => {
    await admitted(deployment('allowed'));
    await admitted(
      deployment('by-digest', (spec) => {
        spec.containers[0].image = `registry.financecore.local/app@sha256:${'a'.repeat(64)}`;
      }),
    );
  });
});

describe('the guardrails read the platform settings, no policy edit', () => {
  const settings = apiPath(
    { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true },
    { namespace: landlordNamespace, name: admissionSettingsName },
  );
  const setSettings = (data: Record<string, string>) =>
    http.request({ method: 'PATCH', path: settings, body: { data }, contentType: 'application/merge-patch+json' });
  let original: Record<string, string> = {};
  before(async () => {
    original = (await http.request<{ data: Record<string, string> }>({ method: 'GET', path: settings })).data;
  });
  after(() => setSettings(original));
  // The API server reads parameters from its informer cache: each check is retried until the policy has seen the change.

  it('a registry added to the settings is admitted', async () => {
    const bank = (name: string) =>
      deployment(name, (spec) => {
        spec.containers[0].image = 'registry.bank.example/app:1';
      });
    await refused(bank('bank-before'), /uses registry.bank.example\/app:1, from none/);
    await setSettings({ allowedRegistries: `${original.allowedRegistries},registry.bank.example` });
    await waitFor(
      async () => (await create(bank(uniqueName('bank')), teamA, memberOfA)).ok,
      'the new registry admitted',
    );
  });

  it("a platform host is no team's, even under the team's subdomain", async () => {
    const host = `portal.${teamA}.${domain}`;
    await setSettings({ platformHosts: host });
    await waitFor(
      async () => !(await create(ingress(uniqueName('portal'), [host]), teamA, memberOfA)).ok,
      'the platform host refused',
    );
    await refused(
      ingress('platform-host', [host]),
      new RegExp(`claims ${host.replaceAll('.', '\\.')}, not the team’s`),
    );
  });
});

describe("Ingress hosts only under the team's subdomain, no snippets", () => {
  it("refuses the platform's argocd-<team> host, another team's host and a rule for every host", async () => {
    await refused(
      ingress('steal-argocd', [`argocd-${teamB}.${domain}`]),
      new RegExp(
        `landlord guardrail \\(Ingress hosts only under the team’s subdomain\\): Ingress ${teamA}/steal-argocd claims argocd-${teamB}\\.${domain}, not the team’s: use ${teamA}\\.${domain} or a host under it`,
      ),
    );
    await refused(
      ingress('steal-b', [`shop.${teamB}.${domain}`]),
      new RegExp(`claims shop\\.${teamB}\\.${domain}, not the team’s`),
    );
    await refused(ingress('steal-suffix', [`${teamA}.${domain}.evil.example`]), /not the team’s/);
    await refused(ingress('catch-all', ['']), /claims \(a rule without host: every host\)/);
  });

  it('refuses configuration-snippet, server-snippet and any other snippet annotation', async () => {
    for (const key of ['configuration-snippet', 'server-snippet', 'auth-snippet']) {
      await refused(
        ingress(`snippet-${key}`, [`${teamA}.${domain}`], { [`nginx.ingress.kubernetes.io/${key}`]: 'return 200;' }),
        new RegExp(
          `landlord guardrail \\(no configuration snippets\\): Ingress \\S+ carries annotation\\(s\\) nginx.ingress.kubernetes.io/${key}, which inject raw configuration`,
        ),
      );
    }
  });

  it("admits the team's own host, hosts under it and a wildcard under it", async () => {
    await admitted(
      ingress('own', [`${teamA}.${domain}`, `shop.${teamA}.${domain}`, `*.${teamA}.${domain}`], {
        'nginx.ingress.kubernetes.io/rewrite-target': '/',
      }),
    );
  });
});

describe("a house's namespace: its API server's Ingress, and no other house's", () => {
  const team = uniqueName('guard-h');
  const namespace = `vcluster-${team}`;
  before(async () => {
    // As the operator makes it: the team's label and the house label, both the operator's alone.
    const labels = { 'landlord.dev/team': team, 'landlord.dev/vcluster': 'true' };
    await http.request({
      method: 'POST',
      path: apiPath(resources.namespace),
      body: { metadata: { name: namespace, labels } },
      headers: asBreakGlass,
    });
  });
  after(async () => {
    await http.send({
      method: 'DELETE',
      path: apiPath(resources.namespace, { name: namespace }),
      headers: asBreakGlass,
    });
  });

  it('admits vcluster-<team>.<domain> in the house namespace only, never another house’s host', async () => {
    await admitted(ingress('house-api', [`vcluster-${team}.${domain}`]), namespace, admin);
    await refused(ingress('other-house', [`vcluster-${teamA}.${domain}`]), /claims vcluster-/, namespace, admin);
    await refused(ingress('own-house-host', [`vcluster-${teamA}.${domain}`]), /not the team’s/);
  });

  it('admits argocd-<team>.<domain> (the house’s own Argo CD) in the house namespace only, never another’s', async () => {
    await admitted(ingress('house-argocd', [`argocd-${team}.${domain}`]), namespace, admin);
    await refused(
      ingress('other-argocd', [`argocd-${teamA}.${domain}`]),
      /claims argocd-.*this house’s namespace also takes vcluster-.* and argocd-/,
      namespace,
      admin,
    );
    // A namespace tenant's namespace holds no house: its team's argocd-<team> host stays the platform's.
    await refused(ingress('own-argocd-host', [`argocd-${teamA}.${domain}`]), /not the team’s/);
  });
});

describe('legacy ServiceAccount token Secrets', () => {
  it('are refused; an ordinary Secret is not', async () => {
    const secret = (name: string, type: string) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, annotations: { 'kubernetes.io/service-account.name': 'default' } },
      type,
    });
    await refused(
      secret('forever', 'kubernetes.io/service-account-token'),
      /landlord guardrail \(no legacy ServiceAccount token Secrets\): Secret \S+\/forever is of type kubernetes.io\/service-account-token, a token that never expires\. Use a projected serviceAccountToken volume/,
    );
    await admitted(secret('settings', 'Opaque'));
  });
});

describe('fail closed: a namespace without Landlord’s labels', () => {
  it('gets the guardrails too, even for a cluster admin', async () => {
    await refused(service('exposed', { type: 'NodePort' }), /no NodePort or LoadBalancer Services/, unlabelled, admin);
    await refused(
      pod('host-net', { hostNetwork: true }),
      /landlord guardrail \(no host namespaces\): Pod \S+ sets hostNetwork: true/,
      unlabelled,
      admin,
    );
    await refused(
      pod('hub', { containers: [{ name: 'c', image: 'nginx' }] }),
      /uses docker.io\/library\/nginx/,
      unlabelled,
      admin,
    );
    await refused(
      ingress('any', [`${teamA}.${domain}`]),
      new RegExp(
        `namespace ${unlabelled} belongs to no team \\(no landlord.dev/team label\\), so its Ingresses may claim no host`,
      ),
      unlabelled,
      admin,
    );
    await admitted(service('web'), unlabelled, admin);
  });

  it("leaves the platform's own namespaces alone: the ingress controller's LoadBalancer Service", async () => {
    const { ingressNamespace } = testEnvironment().platform;
    const name = uniqueName('controller');
    await admitted(service(name, { type: 'LoadBalancer' }), ingressNamespace, admin);
    await http.request({ method: 'DELETE', path: apiPath(services, { namespace: ingressNamespace, name }) });
  });

  it('lets the break-glass group through (audited)', async () => {
    const glass = ['--as', asBreakGlass['Impersonate-User'], '--as-group', asBreakGlass['Impersonate-Group']];
    await admitted(service('emergency', { type: 'NodePort' }), unlabelled, glass);
  });
});
