import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPlatformConfig } from '../api/platform-config.ts';
import {
  changed,
  folder,
  house,
  houseProject as projectOf,
  landlordMadeOn,
  onlyFinding,
  optionsWithHostCIDRs,
  platformWithHostCIDRs,
  tenant,
} from '../../test/fixtures/audit-inventory.ts';
import { audit } from './audit.ts';
import type { AuditedObject, Inventory } from './inventory.ts';

// landlord audit on a house's AppProject (house-audit.test.ts holds the rest of a house's rules).
const h = house('devteam-h');
const a = tenant('devteam-a');
const host = defaultPlatformConfig.argocd.destinationServer;
const houseServer = 'https://vcluster-devteam-h.landlord.local';
const made = () => landlordMadeOn(platformWithHostCIDRs, a, h);
const audited = (inventory: Inventory) => audit(inventory, optionsWithHostCIDRs);
/** The house's AppProject with its spec changed. */
const houseProject = (
  change: (spec: Record<string, unknown>) => Record<string, unknown>,
  objects: AuditedObject[] = made(),
) => projectOf(objects, 'devteam-h', change);

describe("landlord audit on houses: the house's AppProject", () => {
  it('reports a house project without impersonation: high on the host, medium inside the house', () => {
    const objects = houseProject((s) => ({ ...s, destinationServiceAccounts: [] }));
    const findings = audited(folder(objects)).filter((f) => f.rule === 'house-project-impersonation');
    assert.deepEqual(
      findings.map((f) => [f.severity, f.object, f.tenant]),
      [
        ['high', 'AppProject argocd/vcluster-devteam-h', 'devteam-h'],
        ['medium', 'AppProject argocd/vcluster-devteam-h', 'devteam-h'],
      ],
    );
    assert.match(findings[0]?.message ?? '', /not impersonated: .* Argo CD's own rights/);
    assert.match(findings[0]?.fix ?? '', /defaultServiceAccount: vcluster-devteam-h:landlord-house-deployer/);
    assert.equal(audited(folder(objects)).length, 2, 'nothing else');
  });

  it("reports host syncs impersonating another account than the chart deployer (Argo CD's controller): high", () => {
    const objects = houseProject((s) => ({
      ...s,
      destinationServiceAccounts: [
        {
          server: host,
          namespace: 'vcluster-devteam-h',
          defaultServiceAccount: 'argocd:argocd-application-controller',
        },
        ...(s.destinationServiceAccounts as object[]),
      ],
    }));
    const finding = onlyFinding(folder(objects), 'house-project-impersonation', optionsWithHostCIDRs);
    assert.equal(finding.severity, 'high');
    assert.match(finding.message, /run as argocd:argocd-application-controller, not the chart deployer/);
  });

  it("reports a house project reaching another tenant's namespace on the host: high", () => {
    const objects = houseProject((s) => ({
      ...s,
      destinations: [...(s.destinations as object[]), { server: host, namespace: 'devteam-a' }],
    }));
    const finding = onlyFinding(folder(objects), 'project-destination-other-tenant', optionsWithHostCIDRs);
    assert.equal(finding.severity, 'high');
    assert.equal(finding.object, 'AppProject argocd/vcluster-devteam-h');
    assert.match(finding.message, /can deploy into devteam-a's namespace\(s\) devteam-a/);
    assert.match(finding.fix, /the house namespace vcluster-devteam-h on the host and the house's own server/);
  });

  it("reports a house project reaching Argo CD's namespace and a platform namespace: high", () => {
    const objects = houseProject((s) => ({
      ...s,
      destinations: [
        ...(s.destinations as object[]),
        { server: host, namespace: 'argocd' },
        { server: host, namespace: 'kube-system' },
      ],
    }));
    assert.equal(onlyFinding(folder(objects), 'project-destination-argocd', optionsWithHostCIDRs).severity, 'high');
    const platform = onlyFinding(folder(objects), 'project-destination-platform', optionsWithHostCIDRs);
    assert.match(platform.message, /kube-system/);
  });

  it('reports a house project reaching any namespace on the host: high', () => {
    const objects = houseProject((s) => ({
      ...s,
      destinations: [
        { server: host, namespace: '*' },
        { server: houseServer, namespace: '*' },
      ],
    }));
    const found = new Set(audited(folder(objects)).map((f) => f.rule));
    for (const rule of [
      'project-destination-any-namespace',
      'project-destination-other-tenant',
      'project-destination-argocd',
    ])
      assert.ok(found.has(rule), rule);
  });

  it('reports a house project naming a cluster that is neither the host nor the house: high', () => {
    const objects = houseProject((s) => ({
      ...s,
      destinations: [...(s.destinations as object[]), { server: 'https://prod.example:6443', namespace: 'payments' }],
    }));
    const finding = onlyFinding(folder(objects), 'house-project-destination', optionsWithHostCIDRs);
    assert.equal(finding.severity, 'high');
    assert.match(finding.message, /server https:\/\/prod\.example:6443/);
    assert.match(finding.fix, /list exactly/);
  });

  it("reports any project that reaches another tenant's house, by server or by cluster name: high", () => {
    const g = house('devteam-g');
    const base = landlordMadeOn(platformWithHostCIDRs, a, h, g);
    for (const destination of [
      { server: 'https://vcluster-devteam-g.landlord.local', namespace: '*' },
      { name: 'vcluster-devteam-g', namespace: 'default' },
    ]) {
      for (const project of ['devteam-a', 'vcluster-devteam-h']) {
        const objects = changed(base, 'AppProject', project, (o) => {
          const s = o.spec as Record<string, unknown>;
          return { ...o, spec: { ...s, destinations: [...(s.destinations as object[]), destination] } };
        });
        const findings = audited(folder(objects)).filter((f) => f.rule === 'project-destination-other-tenant');
        assert.equal(findings.length, 1, `${project} ${JSON.stringify(findings)}`);
        assert.equal(findings[0]?.object, `AppProject argocd/${project}`);
        assert.match(findings[0]?.message ?? '', /devteam-g's house \(https:\/\/vcluster-devteam-g\.landlord\.local\)/);
      }
    }
  });

  it("reports a house project source other than the chart repository: the team's own repository medium, another team's high", () => {
    const own = houseProject((s) => ({
      ...s,
      sourceRepos: [...(s.sourceRepos as string[]), 'https://git.landlord.local/devteam-h-gitops.git'],
    }));
    const finding = onlyFinding(folder(own), 'house-project-source', optionsWithHostCIDRs);
    assert.equal(finding.severity, 'medium');
    assert.equal(finding.object, 'AppProject argocd/vcluster-devteam-h');
    assert.match(finding.message, /not the platform's vCluster chart repository \(https:\/\/charts\.loft\.sh\)/);
    assert.match(finding.fix, /list only the platform's vCluster chart repository, https:\/\/charts\.loft\.sh/);
    const other = houseProject((s) => ({ ...s, sourceRepos: ['https://git.landlord.local/devteam-a-gitops.git'] }));
    assert.equal(onlyFinding(folder(other), 'source-other-team', optionsWithHostCIDRs).severity, 'high');
    const any = houseProject((s) => ({ ...s, sourceRepos: ['*'] }));
    assert.match(onlyFinding(folder(any), 'project-source-any-repo', optionsWithHostCIDRs).fix, /charts\.loft\.sh/);
  });

  it("still judges a namespace tenant's project by the apartment's kinds", () => {
    const objects = changed(made(), 'AppProject', 'devteam-a', (o) => ({
      ...o,
      spec: {
        ...(o.spec as object),
        clusterResourceWhitelist: [{ group: '*', kind: '*' }],
        clusterResourceBlacklist: [],
      },
    }));
    assert.equal(
      onlyFinding(folder(objects), 'project-cluster-resources', optionsWithHostCIDRs).object,
      'AppProject argocd/devteam-a',
    );
  });
});
