// The house runner's process chain leaves nothing behind when the runner itself is killed: the container runs as
// a non-root user (a change of user clears a process's parent-death signal), so the chain must hold without it.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import type { HouseLaunch } from '../../src/dev/houses/house-process.ts';
import type { ProcessSpec } from '../../src/dev/processes/background-process.ts';
import { createNetworkNamespace, removeNetworkNamespace } from '../../src/dev/houses/network-namespace.ts';
import { isRunning, processTree, programName } from '../../src/dev/houses/process-tree.ts';
import { waitFor } from '../support/wait.ts';

const dir = mkdtempSync(join(tmpdir(), 'landlord-orphans-'));
const networkNamespace = `landlord-house-orphan${process.pid}`;
after(() => {
  removeNetworkNamespace(networkNamespace);
  rmSync(dir, { recursive: true, force: true });
});

it('kills a house running as a non-root user when its runner is killed: no process of it is left', async () => {
  mkdirSync(join(dir, 'image'));
  mkdirSync(join(dir, 'mounted'));
  mkdirSync(join(dir, 'home'));
  copyFileSync('/bin/sleep', join(dir, 'image', 'sleep'));
  createNetworkNamespace(networkNamespace, undefined);
  const launch: HouseLaunch = {
    networkNamespace,
    imageDir: join(dir, 'image'),
    imageMountPoint: join(dir, 'mounted'),
    command: [join(dir, 'mounted', 'sleep'), '3600'],
    env: { HOME: join(dir, 'home') },
    mounts: [],
    workingDir: '/',
    user: { uid: 10001, gid: 10001 },
  };
  const runner = spawn(
    process.execPath,
    [join(import.meta.dirname, '../support/house-process-parent.ts'), JSON.stringify(launch)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const housePid = await new Promise<number>((resolve) =>
    runner.stdout.once('data', (data) => resolve(Number(String(data).trim()))),
  );
  let tree: number[] = [];
  await waitFor(
    () => {
      tree = processTree(housePid);
      return tree.some((pid) => isRunning(pid) && programName(pid) === 'sleep');
    },
    'the house’s command to run',
    30_000,
  );
  runner.kill('SIGKILL');
  await waitFor(
    () => tree.every((pid) => !isRunning(pid)),
    `every process of the house (${tree.join(', ')}) to be gone`,
    30_000,
  );
});

it('kills a house’s Argo CD process and everything it started when its runner is killed', async () => {
  // A process that starts its own children, as the repo-server starts git, helm and kustomize.
  const spec: ProcessSpec = { name: 'argocd-like', command: '/bin/sh', args: ['-c', 'sleep 3600 & sleep 3600'] };
  const runner = spawn(
    process.execPath,
    [join(import.meta.dirname, '../support/tethered-process-parent.ts'), JSON.stringify(spec), join(dir, 'tethered')],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const pid = await new Promise<number>((resolve) =>
    runner.stdout.once('data', (data) => resolve(Number(String(data).trim()))),
  );
  let tree: number[] = [];
  await waitFor(
    () => {
      tree = processTree(pid);
      return tree.filter((each) => isRunning(each) && programName(each) === 'sleep').length === 2;
    },
    'both of its children to run',
    30_000,
  );
  runner.kill('SIGKILL');
  await waitFor(
    () => tree.every((each) => !isRunning(each)),
    `every process of it (${tree.join(', ')}) to be gone`,
    30_000,
  );
});
