import { readFileSync } from 'node:fs';
import { DexApiClient, isClientNotFound } from '../../src/integrations/identity/dex-api-client.ts';
import { testEnvironment } from './cluster.ts';

/** Whether the local Dex holds an OIDC client, asked over its API as the operator asks: found, absent, or the error. */
export async function dexClientState(id: string): Promise<string> {
  const { api } = testEnvironment().identity;
  const dex = new DexApiClient({
    address: api.address,
    tls: { ca: readFileSync(api.ca), cert: readFileSync(api.cert), key: readFileSync(api.key) },
  });
  try {
    return await dex.call('GetClient', { id }, id).then(
      (found) => (found.client ? 'found' : 'absent'),
      (error: unknown) => (isClientNotFound(error) ? 'absent' : String(error)),
    );
  } finally {
    dex.close();
  }
}
