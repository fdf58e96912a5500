import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import { chartRepositoryURL } from '../../src/dev/charts/chart-repository.ts';
import { binaryPath } from '../../src/dev/tools/cache.ts';
import { asBreakGlass } from '../support/break-glass.ts';
import { waitForApplication } from '../support/argocd.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';

// Houses are installed by the host Argo CD from a Helm chart repository: locally, the chart of the pinned vCluster.
const run = promisify(execFile);
const { http, cluster } = testCluster();
const { platform } = testEnvironment();
const argocd = platform.argocd.namespace;
const name = uniqueName('chart-check');
const dir = mkdtempSync(join(tmpdir(), 'chart-repository-'));
const argoPath = (plural: string, object = '') =>
  `/apis/argoproj.io/v1alpha1/namespaces/${argocd}/${plural}${object ? `/${object}` : ''}`;
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await http.send({ method: 'DELETE', path: argoPath('applications', name), headers: asBreakGlass });
  await http.send({ method: 'DELETE', path: argoPath('appprojects', name), headers: asBreakGlass });
});

describe('the local chart repository', () => {
  it("is the platform's chart repository locally, and answers on loopback only", () => {
    assert.equal(platform.houses.chart.repoURL, chartRepositoryURL(cluster));
    assert.match(platform.houses.chart.repoURL, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(platform.houses.chart.version, '0.36.1');
    assert.equal(platform.houses.apiServerURL, 'https://{loopback}');
  });

  it('serves the vCluster chart Helm can pull and render, with the open-source image when asked', async () => {
    const helm = binaryPath('helm');
    const repo = ['--repo', platform.houses.chart.repoURL, '--version', '0.36.1'];
    await run(helm, ['pull', 'vcluster', ...repo, '--destination', dir]);
    const { stdout } = await run(helm, [
      'template',
      'team-a',
      'vcluster',
      ...repo,
      '--namespace',
      'vcluster-team-a',
      '--set',
      'controlPlane.statefulSet.image.repository=loft-sh/vcluster-oss',
    ]);
    assert.match(stdout, /kind: StatefulSet/);
    assert.match(stdout, /name: "vc-config-team-a"/);
    assert.match(stdout, /image: "ghcr.io\/loft-sh\/vcluster-oss:0\.36\.1"/);
  });

  it('refuses anything but reading its files', async () => {
    const base = platform.houses.chart.repoURL;
    assert.equal((await fetch(`${base}/index.yaml`, { method: 'PUT', body: 'x' })).status, 405);
    assert.equal((await fetch(`${base}/..%2f..%2fetc%2fpasswd`)).status, 404);
    assert.equal((await fetch(`${base}/index.yaml`)).status, 200);
  });

  it("is rendered by Argo CD's repo-server for an Application of a project listing it", async () => {
    await http.request({
      method: 'POST',
      path: argoPath('appprojects'),
      headers: asBreakGlass,
      body: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AppProject',
        metadata: { name, namespace: argocd },
        spec: {
          sourceRepos: [platform.houses.chart.repoURL],
          destinations: [{ server: platform.argocd.destinationServer, namespace: name }],
        },
      },
    });
    await http.request({
      method: 'POST',
      path: argoPath('applications'),
      headers: asBreakGlass,
      body: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name, namespace: argocd },
        spec: {
          project: name,
          source: { repoURL: platform.houses.chart.repoURL, chart: 'vcluster', targetRevision: '0.36.1' },
          destination: { server: platform.argocd.destinationServer, namespace: name },
        },
      },
    });
    const app = await waitForApplication(
      argocd,
      name,
      (candidate) => candidate.status?.sync?.status === 'OutOfSync',
      'the chart rendered and compared (nothing synced: no automated sync)',
    );
    const resources = (app.status as { resources?: { kind: string; name: string }[] }).resources ?? [];
    assert.ok(
      resources.some((resource) => resource.kind === 'StatefulSet' && resource.name === name),
      JSON.stringify(resources),
    );
  });
});
