import { readFileSync } from 'node:fs';
import { DexClientRegistry } from '../../integrations/identity/dex-client-registry.ts';
import type { LocalDexApi } from './lifecycle.ts';

/** The local Dex's client registry, as `landlord operator` builds it from its --dex-api flags (mutual TLS). */
export function localDexClientRegistry(api: LocalDexApi): DexClientRegistry {
  const tls = { ca: readFileSync(api.ca), cert: readFileSync(api.cert), key: readFileSync(api.key) };
  return new DexClientRegistry({ address: api.address, tls });
}
