import { tenantResource } from '../api/crd.ts';
import type { Tenant } from '../api/tenant.ts';
import { commitFiles } from '../git/commit-files.ts';
import { apiPath } from '../kube/api-path.ts';
import { KubeApiError, type KubeHttp } from '../kube/http.ts';
import { PortalError } from './errors.ts';
import { gitAuthor, oneLine, tenantFileContent } from './tenant-file.ts';
import { fileRefusal, refuseSharedFile, refuseTakenTeam } from './tenant-tree-checks.ts';
import type { ReviewProposal } from './review-proposal.ts';
import type { PortalUser } from './user.ts';

/** Where an accepted request goes: the API server (direct) or the platform repository (GitOps). */
export interface TenantWriter {
  readonly mode: 'direct' | 'gitops';
  /**
   * Creates the tenant, or commits its file; refuses a name already taken. Returns the commit in GitOps mode, the
   * pull request on a forge, and the review branch it went to instead of main when it needs a platform admin's review.
   */
  create(
    tenant: Tenant,
    requester: PortalUser,
  ): Promise<{ commit?: string; review?: ReviewProposal; pullRequest?: string }>;
  /** Deletes the tenant, or removes its file (through a pull request merged at once, on a forge). */
  remove(tenant: Tenant, requester: PortalUser): Promise<{ commit?: string; pullRequest?: string }>;
}

/** Direct mode: the portal creates and deletes Tenant objects itself. */
export function directWriter(http: KubeHttp): TenantWriter {
  return {
    mode: 'direct',
    async create(tenant) {
      await http
        .request({ method: 'POST', path: apiPath(tenantResource), body: tenant })
        .catch(apiServerRefusal(tenant));
      return {};
    },
    async remove(tenant) {
      // The UID precondition: delete the tenant the user looked at, never a namesake created since.
      const body = { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: tenant.metadata.uid } };
      await http.request({ method: 'DELETE', path: apiPath(tenantResource, { name: tenant.metadata.name }), body });
      return {};
    },
  };
}

/** The API server's refusal of a create, as the portal reports it: the fields it names, or a conflict. */
function apiServerRefusal(tenant: Tenant) {
  return (error: unknown): never => {
    if (!(error instanceof KubeApiError)) throw error;
    if (error.status === 409) {
      throw new PortalError(409, 'exists', `a tenant named ${tenant.metadata.name} already exists`, [
        { path: 'name', message: `name: "${tenant.metadata.name}" is taken; choose another` },
      ]);
    }
    if (error.status === 422) {
      const causes = (error.details as { causes?: { field?: string; message?: string }[] } | undefined)?.causes ?? [];
      const fields = causes.map((cause) => ({ path: cause.field ?? '', message: cause.message ?? error.message }));
      throw new PortalError(422, 'invalid', error.message, fields);
    }
    throw error;
  };
}

/** The file of a tenant in the platform repository's `tenants` layout. */
export const tenantFile = (name: string) => `tenants/${name}.yaml`;

/**
 * GitOps mode: the portal commits `tenants/<name>.yaml` as the requester; the host Argo CD creates the Tenant.
 * `afterCommit` tells Argo CD at once, as the Git host's webhook would (without one it polls).
 */
export function gitopsWriter(
  repositoryURL: string,
  afterCommit: () => Promise<void> = async () => {},
  /** Whether a request goes to a review branch instead of main (review-branch.ts); main for all without it. */
  review: (tenant: Tenant) => Promise<ReviewProposal | undefined> = async () => undefined,
): TenantWriter {
  const author = gitAuthor;
  return {
    mode: 'gitops',
    async create(tenant, requester) {
      const proposal = await review(tenant);
      const file = tenantFile(tenant.metadata.name);
      const content = tenantFileContent(tenant, requester);
      const message = `Request tenant ${tenant.metadata.name} for team ${tenant.spec.teamName}\n\nRequested in the Landlord portal by ${oneLine(requester.username)}.`;
      const commit = await commitFiles(
        proposal ? { url: repositoryURL, branch: proposal.branch } : repositoryURL,
        [{ path: file, content, expect: 'absent' }],
        message,
        author(requester),
        (workTree) => refuseTakenTeam(workTree, tenant),
      ).catch(fileRefusal(tenant));
      if (proposal) return { commit, review: proposal };
      await afterCommit();
      return { commit };
    },
    async remove(tenant, requester) {
      const file = tenantFile(tenant.metadata.name);
      const message = `Decommission tenant ${tenant.metadata.name}\n\nRequested in the Landlord portal by ${oneLine(requester.username)}.`;
      const commit = await commitFiles(
        repositoryURL,
        [{ path: file, content: null, expect: 'present' }],
        message,
        author(requester),
        (workTree) => refuseSharedFile(workTree, file, tenant),
      ).catch(fileRefusal(tenant));
      await afterCommit();
      return { commit };
    },
  };
}
