// The token renewer's process (started by token-renewer.ts): renews the listed ServiceAccount tokens every 20
// minutes until its configuration file is gone or it is stopped.
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from './connect.ts';
import { kubeconfigPath } from './local-cluster.ts';
import { writeServiceAccountKubeconfig } from './service-account-kubeconfig.ts';
import { renewEveryMs, type TokenRenewerConfig } from './token-renewer.ts';

const configFile = process.argv[2];
if (!configFile) throw new Error('usage: token-renewer-main.ts <config.json>');

/** One round: a new token for each listed kubeconfig; a failure is logged and retried next round. */
async function renewAll(config: TokenRenewerConfig): Promise<void> {
  const { http } = connect(config.cluster);
  try {
    for (const { account, file } of config.renewals) {
      try {
        await writeServiceAccountKubeconfig(http, kubeconfigPath(config.cluster), account, file);
      } catch (error) {
        console.error(`${new Date().toISOString()} ${account.namespace}/${account.name}: ${String(error)}`);
      }
    }
  } finally {
    http.close();
  }
}

const readConfig = () => JSON.parse(readFileSync(configFile, 'utf8')) as TokenRenewerConfig;

// The first round waits: whoever started the renewer has just written fresh tokens.
while (existsSync(configFile)) {
  await sleep(readConfig().everyMs ?? renewEveryMs);
  if (!existsSync(configFile)) break;
  await renewAll(readConfig());
}
