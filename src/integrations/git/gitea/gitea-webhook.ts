import { createHash } from 'node:crypto';
import type { PushWebhook, RepositoryRef } from '../git-forge.ts';
import { expectStatus, type GiteaApi } from './gitea-api.ts';
import { repositoryPath } from './gitea-repository.ts';

/** The fields of Gitea's hook answer this file reads (Gitea never returns a hook's secret). */
export interface GiteaHook {
  id: number;
  type: string;
  name: string;
  active: boolean;
  events: string[];
  branch_filter?: string;
  config: Record<string, string>;
}

/**
 * The hook's name: it carries a short digest of the secret, since Gitea neither returns a secret nor changes one
 * on edit; a name that no longer matches means the secret changed. The secret is random, so its digest tells
 * nothing of it.
 */
export function webhookName(secret: string): string {
  return `${landlordHookPrefix}${createHash('sha256').update(`landlord webhook secret\0${secret}`).digest('hex').slice(0, 16)}`;
}

/** The name every hook Landlord makes starts with: the only hooks it ever edits or removes. */
const landlordHookPrefix = 'Landlord push ';

/** Whether Landlord made the hook (a person's hook to the same URL is theirs, and left alone). */
export const isLandlordHook = (hook: GiteaHook) => hook.name.startsWith(landlordHookPrefix);

/**
 * What is to be done with a repository's hooks so one of Landlord's pushes to the URL, signed with the secret; hooks
 * to other URLs (another Argo CD's) and hooks Landlord did not make are left as they are.
 */
export function planWebhook(
  hooks: GiteaHook[],
  hook: PushWebhook,
): { keep?: GiteaHook; update: boolean; remove: GiteaHook[] } {
  const forUrl = hooks.filter((candidate) => candidate.config.url === hook.url && isLandlordHook(candidate));
  // A hook of another type or signed with an older secret cannot be edited into shape: it is replaced.
  const keep = forUrl.find((candidate) => candidate.type === 'gitea' && candidate.name === webhookName(hook.secret));
  const update =
    keep !== undefined &&
    !(
      keep.active &&
      keep.config.content_type === 'json' &&
      JSON.stringify(keep.events) === JSON.stringify(['push']) &&
      !keep.branch_filter
    );
  return { keep, update, remove: forUrl.filter((candidate) => candidate !== keep) };
}

/** One push webhook to the URL, JSON, signed with the secret (X-Gitea-Signature); Landlord's extra ones for the URL removed. */
export async function ensureGiteaWebhook(api: GiteaApi, repository: RepositoryRef, hook: PushWebhook): Promise<void> {
  const plan = planWebhook(await listHooks(api, repository), hook);
  const settings = { events: ['push'], active: true, branch_filter: '', name: webhookName(hook.secret) };
  for (const stale of plan.remove) {
    await expectStatus(api, 'DELETE', repositoryPath(repository, 'hooks', String(stale.id)), [204, 404]);
  }
  if (!plan.keep) {
    const config = { url: hook.url, content_type: 'json', secret: hook.secret };
    await expectStatus(api, 'POST', repositoryPath(repository, 'hooks'), [201], { type: 'gitea', config, ...settings });
  } else if (plan.update) {
    const config = { url: hook.url, content_type: 'json' };
    await expectStatus(api, 'PATCH', repositoryPath(repository, 'hooks', String(plan.keep.id)), [200], {
      config,
      ...settings,
    });
  }
}

/** Removes Landlord's hooks to the URL (none: nothing happens); hooks it did not make stay. */
export async function removeGiteaWebhook(api: GiteaApi, repository: RepositoryRef, url: string): Promise<void> {
  const ours = (await listHooks(api, repository)).filter((hook) => hook.config.url === url && isLandlordHook(hook));
  for (const hook of ours)
    await expectStatus(api, 'DELETE', repositoryPath(repository, 'hooks', String(hook.id)), [204, 404]);
}

async function listHooks(api: GiteaApi, repository: RepositoryRef): Promise<GiteaHook[]> {
  return (await expectStatus<GiteaHook[]>(api, 'GET', `${repositoryPath(repository, 'hooks')}?limit=50`, [200])).body;
}
