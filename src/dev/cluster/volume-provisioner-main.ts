// The local volume provisioner's process (started by volume-provisioner-process.ts): one provisioning round every
// second, as its own ServiceAccount, until its configuration file is gone or it is stopped.
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeHttp } from '../../kube/http.ts';
import { loadConnection } from '../../kube/kubeconfig.ts';
import { provisionRound } from './volume-provisioner.ts';
import type { VolumeProvisionerConfig } from './volume-provisioner-process.ts';

const configFile = process.argv[2];
if (!configFile) throw new Error('usage: volume-provisioner-main.ts <config.json>');

const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.on(signal, () => {
    stopping = true;
  });

while (!stopping && existsSync(configFile)) {
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as VolumeProvisionerConfig;
  // Connected each round: the kubeconfig's token file is renewed under the cluster's one-hour cap.
  const http = new KubeHttp(loadConnection(config.kubeconfig));
  try {
    await provisionRound(http, config.cluster, log);
  } catch (error) {
    log(`round failed, retried next round: ${String(error)}`);
  } finally {
    http.close();
  }
  await sleep(config.everyMs);
}
