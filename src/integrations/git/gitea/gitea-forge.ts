import type { GitForge } from '../git-forge.ts';
import { archiveGiteaRepository } from './gitea-archive.ts';
import { giteaApi } from './gitea-api.ts';
import { protectGiteaBranch } from './gitea-branch-protection.ts';
import { grantGiteaGroup, hasGiteaGroup } from './gitea-group-grant.ts';
import { ensureGiteaOrganization } from './gitea-organization.ts';
import { ensureReaderAccount, removeReaderAccess } from './gitea-reader-account.ts';
import { mintReaderToken, readsRepository } from './gitea-reader-token.ts';
import { ensureGiteaRepository, readRepository } from './gitea-repository.ts';
import { ensureGiteaWebhook, removeGiteaWebhook } from './gitea-webhook.ts';

/** The Git forge on a Gitea at `url`, as Landlord's admin account (its token). */
export function giteaForge(url: string, adminToken: string): GitForge {
  const admin = giteaApi(url, { token: adminToken });
  return {
    ensureOrganization: (organization) => ensureGiteaOrganization(admin, organization),
    ensureRepository: (repository, options) => ensureGiteaRepository(admin, repository, options),
    findRepository: (repository) => readRepository(admin, repository),
    hasGroup: (organization, group) => hasGiteaGroup(admin, organization, group),
    protectBranch: (repository, protection) => protectGiteaBranch(admin, repository, protection),
    grantGroup: (repository, group) => grantGiteaGroup(admin, repository, group),
    async ensureReader(repository, reader, current) {
      await ensureReaderAccount(admin, repository, reader);
      if (current && (await readsRepository(url, repository, reader, current))) return current;
      return mintReaderToken(admin, url, reader);
    },
    removeReader: (repository, reader) => removeReaderAccess(admin, repository, reader),
    ensureWebhook: (repository, hook) => ensureGiteaWebhook(admin, repository, hook),
    removeWebhook: (repository, url) => removeGiteaWebhook(admin, repository, url),
    archive: (repository) => archiveGiteaRepository(admin, repository),
  };
}
