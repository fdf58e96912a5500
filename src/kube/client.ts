import { request } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';

/** Loads a kubeconfig file; without a path, the usual KUBECONFIG or ~/.kube/config. */
export function loadKubeConfig(path?: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (path) kubeConfig.loadFromFile(path);
  else kubeConfig.loadFromDefault();
  return kubeConfig;
}

/** The answer to one raw GET: status code and body. */
export interface RawResponse {
  status: number;
  body: string;
}

/** A raw GET against the API server (health endpoints, /version), with the kubeconfig's credentials. */
export async function rawGet(kubeConfig: KubeConfig, path: string, timeoutMs = 5000): Promise<RawResponse> {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig has no current cluster');
  const url = new URL(path, server);
  const options: Parameters<typeof request>[1] = { method: 'GET', timeout: timeoutMs };
  await kubeConfig.applyToHTTPSOptions(options);
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out after ${timeoutMs}ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** Whether the API server answers /readyz with ok. */
export async function isApiServerReady(kubeConfig: KubeConfig): Promise<boolean> {
  try {
    const { status } = await rawGet(kubeConfig, '/readyz', 2000);
    return status === 200;
  } catch {
    return false;
  }
}
