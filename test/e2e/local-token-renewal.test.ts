import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { writeServiceAccountKubeconfig } from '../../src/dev/cluster/service-account-kubeconfig.ts';
import { renewerProgram, type TokenRenewerConfig } from '../../src/dev/cluster/token-renewer.ts';
import { ensureNamespace, testCluster, uniqueName } from '../support/cluster.ts';
import { waitFor, within } from '../support/wait.ts';

// The cluster caps ServiceAccount tokens at an hour: the local operator and Argo CD keep working past it only
// because the renewer writes them a new token, as the kubelet does for a pod.
const { cluster, http, kubeconfig } = testCluster();
const dir = mkdtempSync(join(tmpdir(), 'token-renewal-'));
const namespace = uniqueName('renewal');
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await http.send({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}` });
});

it("renews a local process's token file while its configuration exists, and stops when it is removed", async () => {
  await ensureNamespace(http, namespace);
  await http.request({
    method: 'POST',
    path: `/api/v1/namespaces/${namespace}/serviceaccounts`,
    body: { metadata: { name: 'worker' } },
  });
  const account = { namespace, name: 'worker' };
  const file = join(dir, 'kubeconfig');
  await writeServiceAccountKubeconfig(http, kubeconfig, account, file);
  const first = readFileSync(`${file}.token`, 'utf8');
  const config: TokenRenewerConfig = { cluster, renewals: [{ account, file }], everyMs: 200 };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const renewer = spawn(process.execPath, [renewerProgram, join(dir, 'config.json')], { stdio: 'inherit' });
  const exited = new Promise((resolve) => renewer.once('exit', resolve));
  try {
    await waitFor(() => readFileSync(`${file}.token`, 'utf8') !== first, 'a new token in the file');
    const review = await http.request<{ status: { authenticated?: boolean; user?: { username: string } } }>({
      method: 'POST',
      path: '/apis/authentication.k8s.io/v1/tokenreviews',
      body: { spec: { token: readFileSync(`${file}.token`, 'utf8') } },
    });
    assert.equal(review.status.user?.username, `system:serviceaccount:${namespace}:worker`);
  } finally {
    rmSync(join(dir, 'config.json'));
  }
  await within(exited, 10_000, 'the renewer to exit once its configuration is gone');
});
