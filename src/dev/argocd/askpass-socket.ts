import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Longest socket path Linux binds (sun_path is 108 bytes with its terminating zero). */
const maxSocketPath = 107;

/**
 * Where a local Argo CD's repo-server answers git's askpass: its own, never upstream's fixed
 * /tmp/reposerver-ask-pass.sock, which a second Argo CD on the machine would take over (git then fails with
 * "unknown nonce"). In its folder, or under the temporary folder with a digest of it when that path is too long.
 */
export function askPassSocket(dir: string): string {
  const inFolder = join(dir, 'askpass.sock');
  if (Buffer.byteLength(inFolder) <= maxSocketPath) return inFolder;
  return join(tmpdir(), `landlord-askpass-${createHash('sha256').update(dir).digest('hex').slice(0, 16)}.sock`);
}
