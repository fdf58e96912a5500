import { request } from 'node:https';
import type { HouseCredentials } from './house-credentials.ts';

/** What a house's /version answered, or why it did not (no credential in the words). */
export type HouseVersionAnswer = { ok: true; gitVersion: string } | { ok: false; problem: string };

/**
 * Asks the house's API server for /version through the registration's credentials (its CA, the admin client
 * certificate), as Argo CD will: the address, the certificate and the credentials are checked at once.
 */
export function askHouseVersion(
  server: string,
  credentials: HouseCredentials,
  timeoutMs = 5000,
): Promise<HouseVersionAnswer> {
  const decode = (value: string) => Buffer.from(value, 'base64');
  return new Promise((resolve) => {
    const req = request(
      new URL('/version', server),
      {
        method: 'GET',
        ca: decode(credentials.certificateAuthority),
        cert: decode(credentials.clientCertificate),
        key: decode(credentials.clientKey),
        timeout: timeoutMs,
        headers: { accept: 'application/json' },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk.length + body.length < 65_536 ? chunk : ''));
        res.on('end', () => {
          if (res.statusCode !== 200)
            return resolve({ ok: false, problem: `${server}/version answered ${res.statusCode}` });
          try {
            const gitVersion = (JSON.parse(body) as { gitVersion?: unknown }).gitVersion;
            if (typeof gitVersion === 'string') return resolve({ ok: true, gitVersion });
          } catch {
            // Not JSON: reported below.
          }
          resolve({ ok: false, problem: `${server}/version did not answer a Kubernetes version` });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => resolve({ ok: false, problem: `${server}/version: ${error.message}` }));
    req.end();
  });
}
