import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const kubectlPath = join(import.meta.dirname, '..', '..', 'bin', 'kubectl');

/** Runs the kubectl built with the cluster, as a user would with a downloaded kubeconfig. */
export const kubectl = (kubeconfig: string, ...args: string[]) =>
  run(kubectlPath, ['--kubeconfig', kubeconfig, ...args]);
