// The house runner's process (started by runner-lifecycle.ts): plays kubelet for the cluster's house pods until
// SIGTERM, then stops every house. Argument: its configuration file.
import { readFileSync } from 'node:fs';
import { KubeHttp } from '../../kube/http.ts';
import { loadConnection } from '../../kube/kubeconfig.ts';
import { HouseRunner } from './house-runner.ts';
import type { HouseRunnerConfig } from './runner-lifecycle.ts';

const configFile = process.argv[2];
if (!configFile) throw new Error('usage: house-runner-main.ts <config.json>');
const config = JSON.parse(readFileSync(configFile, 'utf8')) as HouseRunnerConfig;
const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
const connection = loadConnection(config.kubeconfig);
const server = new URL(connection.server);
const runner = new HouseRunner(new KubeHttp(connection), {
  houses: config.houses,
  hostApi: { host: server.hostname, port: Number(server.port || 443) },
  identityProvider: config.identityProvider,
  gitForge: config.gitForge,
  dir: config.dir,
  log,
});

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping every house`);
  void runner.stop().then(() => process.exit(0));
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
await runner.start();
log('watching pods');
