import assert from 'node:assert/strict';
import { it } from 'node:test';
import { pinnedVersion, releasesOf, toolNamed, toolOfBinary, upstreamTools } from './upstream-tools.ts';

it('pins the versions the platform needs, read from the tool modules', () => {
  const versions = Object.fromEntries(upstreamTools.map((tool) => [tool.name, pinnedVersion(tool)]));
  assert.match(versions.kubernetes ?? '', /^v1\.36\.\d+$/);
  assert.match(versions.etcd ?? '', /^v3\.6\.\d+$/);
  assert.match(versions.kwok ?? '', /^v0\.8\.\d+$/);
  assert.match(versions.argocd ?? '', /^v3\.5\.\d+$/);
  assert.match(versions.helm ?? '', /^v4\.\d+\.\d+$/);
  assert.match(versions.kustomize ?? '', /^v5\.8\.\d+$/);
  assert.match(versions.dex ?? '', /^v0\.0\.0-20240807174518-43956db7fd75$/, 'Dex v2.41.1, by pseudo-version');
  assert.equal(versions.vcluster, 'v0.36.1');
  assert.match(versions.kine ?? '', /^v0\.17\.\d+$/);
  assert.match(versions['kubernetes-1.35'] ?? '', /^v1\.35\.\d+$/);
});

it('keeps the host on its own Kubernetes release while an extra release builds the same binaries', () => {
  assert.equal(toolOfBinary('kube-apiserver').name, 'kubernetes');
  assert.equal(toolOfBinary('kubectl').name, 'kubernetes');
  assert.equal(toolNamed('kubernetes-1.35').extraReleaseOf, 'kubernetes');
  assert.deepEqual(
    releasesOf('kubernetes').map((tool) => tool.name),
    ['kubernetes', 'kubernetes-1.35'],
  );
  assert.throws(() => toolNamed('kubernetes-1.20'), /no upstream tool is named kubernetes-1\.20/);
});

it('stamps the real version into the Kubernetes binaries', () => {
  const flags = toolOfBinary('kube-apiserver').ldflags?.('v1.36.3') ?? [];
  assert.ok(flags.includes('-X k8s.io/component-base/version.gitVersion=v1.36.3'));
  assert.ok(flags.includes('-X k8s.io/client-go/pkg/version.gitVersion=v1.36.3'));
  assert.ok(flags.includes('-X k8s.io/component-base/version.gitMinor=36'));
});

it('names the tool of each binary and refuses unknown ones', () => {
  assert.equal(toolOfBinary('kwokctl').name, 'kwok');
  assert.equal(toolOfBinary('etcd').name, 'etcd');
  assert.equal(toolOfBinary('vcluster').name, 'vcluster');
  assert.equal(toolOfBinary('kine').name, 'kine');
  assert.throws(() => toolOfBinary('kubelet'), /no upstream tool builds a binary named kubelet/);
});
