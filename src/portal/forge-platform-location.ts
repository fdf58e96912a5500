import type { ForgeCredentials } from '../integrations/git/git-forge.ts';
import type { ForgePlatformRepository } from './pull-request-writer.ts';

/**
 * The platform repository on a forge from its clone URL (`https://<forge>/<organisation>/<name>.git`), acting as the
 * machine user given; undefined for a URL that names no forge repository (a file:// folder, say).
 */
export function forgePlatformLocation(
  cloneURL: string,
  machine: ForgeCredentials,
): (ForgePlatformRepository & { url: string }) | undefined {
  let url: URL;
  try {
    url = new URL(cloneURL);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) return undefined;
  const segments = url.pathname.replace(/\/+$/, '').split('/').filter(Boolean);
  if (segments.length < 2) return undefined;
  const organization = segments.at(-2) ?? '';
  const name = (segments.at(-1) ?? '').replace(/\.git$/, '');
  const prefix = segments.slice(0, -2).join('/');
  return {
    url: `${url.origin}${prefix ? `/${prefix}` : ''}`,
    repository: { organization, name },
    cloneURL,
    machine,
  };
}
