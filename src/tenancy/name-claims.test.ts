import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storedTenant } from '../../test/fixtures/tenant-objects.ts';
import { defaultPlatformConfig as platform, type PlatformConfig } from '../api/platform-config.ts';
import type { Tenant } from '../api/tenant.ts';
import {
  derivedNameKey,
  derivedNames,
  inSpaceOf,
  nameProblem,
  platformReservedNames,
  reservedNameProblem,
  reservedSpaces,
} from './name-claims.ts';

const tenant = (name: string, teamName: string, additionalNamespaces: string[] = []): Tenant =>
  storedTenant((document) => {
    document.metadata.name = name;
    document.spec.teamName = teamName;
    if (additionalNamespaces.length > 0) document.spec.additionalNamespaces = additionalNamespaces;
  });

const keys = (t: Tenant, config: PlatformConfig = platform) => new Set(derivedNames(t, config).map(derivedNameKey));
const shared = (a: Tenant, b: Tenant) => [...keys(a)].filter((key) => keys(b).has(key));

describe('derivedNames', () => {
  it("lists every name Landlord derives for a team, in the cluster and in Argo CD's namespace", () => {
    const names = keys(tenant('fin', 'fin', ['payments']));
    for (const key of [
      'Namespace//fin',
      'Namespace//fin-payments',
      'Namespace//vcluster-fin',
      'AppProject/argocd/fin',
      'Application/argocd/application-initializer-fin',
      'Secret/argocd/repo-fin',
      'ServiceAccount/argocd/fin-deployer',
      'RoleBinding/fin-payments/fin-admins',
    ]) {
      assert.ok(names.has(key), `${key} is among ${[...names].join(', ')}`);
    }
  });

  it('is what the squat of issue 12 collided on: fin with payments and a team fin-payments share a namespace', () => {
    const fin = tenant('fin', 'fin', ['payments']);
    const finPayments = tenant('fin-payments', 'fin-payments');
    assert.ok(shared(fin, finPayments).includes('Namespace//fin-payments'));
  });
});

describe('nameProblem: names are a tree', () => {
  const fin = tenant('fin', 'fin', ['payments']);

  it('refuses a team in an existing team’s space, naming the other tenant and the rule', () => {
    const problem = nameProblem(tenant('later', 'fin-payments'), [fin], platform);
    assert.equal(problem?.reason, 'NameInAnotherTeamsSpace');
    assert.equal(problem?.holder, 'fin');
    assert.match(problem?.message ?? '', /"fin-payments" lies in the names of team fin \(Tenant fin\)/);
    assert.match(problem?.message ?? '', /a team owns its name and every name <team>-\.\.\./);
  });

  it('refuses the other order too: a team whose space holds an existing team’s name', () => {
    const problem = nameProblem(fin, [tenant('first', 'fin-payments')], platform);
    assert.equal(problem?.holder, 'first');
    assert.match(problem?.message ?? '', /"fin" would own the name fin-payments of team fin-payments \(Tenant first\)/);
  });

  it('leaves teams whose names only look alike: fin and finance, fin-a and fin-b', () => {
    assert.equal(nameProblem(tenant('finance', 'finance'), [fin], platform), undefined);
    assert.equal(nameProblem(tenant('fin-b', 'fin-b'), [tenant('fin-a', 'fin-a')], platform), undefined);
  });

  it('does not judge a tenant against itself', () => {
    assert.equal(nameProblem(fin, [fin], platform), undefined);
  });
});

describe('reservedNameProblem', () => {
  it('refuses the reserved spaces kube, vcluster, argocd and anything starting with landlord', () => {
    for (const teamName of ['kube', 'kube-system', 'vcluster', 'vcluster-fin', 'argocd', 'argocd-fin', 'landlordx']) {
      const problem = reservedNameProblem(teamName, platform);
      assert.equal(problem?.reason, 'NameReserved', teamName);
      assert.match(
        problem?.message ?? '',
        /reserved space (kube|vcluster|argocd|landlord) \(.*\): no teamName is \w+ or starts with (kube-|vcluster-|argocd-|landlord;)/,
        teamName,
      );
    }
  });

  it("refuses the platform's namespaces as configured, and a team whose space would hold one", () => {
    const config = { ...platform, ingressNamespace: 'ingress-nginx', platformNamespaces: ['argocd', 'monitoring'] };
    assert.match(
      reservedNameProblem('ingress-nginx', config)?.message ?? '',
      /"ingress-nginx" is the platform's reserved name ingress-nginx \(the ingress controller's namespace\)/,
    );
    assert.match(
      reservedNameProblem('ingress', config)?.message ?? '',
      /"ingress" would own "ingress-nginx", since a team owns every name ingress-\.\.\., and that is the platform's reserved name/,
    );
    assert.match(reservedNameProblem('monitoring', config)?.message ?? '', /one of the platform namespaces/);
    assert.match(reservedNameProblem('default', config)?.message ?? '', /reserved name default/);
    assert.equal(reservedNameProblem('ingressive', config), undefined);
  });
});

/** A small PRNG (mulberry32): the same teams every run, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('two accepted tenants can never derive the same name', () => {
  // Few parts, so that names often begin one another: the cases where a squat could happen.
  const parts = ['ab', 'cd', 'ab-cd', 'deployer', 'admins', 'repo', 'gitops', 'ingress', 'nginx', 'payments'];
  const next = random(12);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const config: PlatformConfig = { ...platform, ingressNamespace: 'ingress-nginx' };

  it('holds over 300 requests in random order, each accepted only if nameProblem finds nothing', () => {
    const accepted: Tenant[] = [];
    let refused = 0;
    for (let index = 0; index < 300; index++) {
      const teamName = Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(parts)).join('-');
      const suffixes = [...new Set(Array.from({ length: Math.floor(next() * 3) }, () => pick(parts)))];
      const candidate = tenant(`t${index}`, teamName, suffixes);
      const sameTeam = accepted.some((other) => other.spec.teamName === teamName); // TeamNameTaken
      if (sameTeam || nameProblem(candidate, accepted, config)) {
        refused++;
        continue;
      }
      accepted.push(candidate);
    }
    assert.ok(
      accepted.length >= 5 && refused >= 50,
      `a meaningful mix: ${accepted.length} accepted, ${refused} refused`,
    );
    const reserved = platformReservedNames(config).map((name) => `Namespace//${name.name}`);
    const owners = new Map<string, string>();
    for (const t of accepted) {
      for (const key of keys(t, config)) {
        assert.equal(owners.get(key), undefined, `${key} is derived by ${owners.get(key)} and ${t.spec.teamName}`);
        owners.set(key, t.spec.teamName);
        assert.ok(!reserved.includes(key), `${t.spec.teamName} derives the platform's ${key}`);
      }
      for (const namespace of derivedNames(t, config).filter((derived) => derived.kind === 'Namespace')) {
        const house = namespace.name === `vcluster-${t.spec.teamName}`;
        for (const space of reservedSpaces) {
          if (house && space.name === 'vcluster') continue;
          assert.ok(!inSpaceOf(namespace.name, space.name), `${namespace.name} lies in reserved ${space.name}-...`);
        }
      }
    }
  });
});
