import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Tenant } from '../api/tenant.ts';
import { FileStateError } from '../git/commit-files.ts';
import { PortalError } from './errors.ts';
import { oneLine, removalRefusal } from './tenant-file.ts';

// The checks a GitOps request makes on a checked-out platform repository before anything is written.

/** Refuses a request for a team another file of the repository already defines (not yet synced, perhaps). */
export function refuseTakenTeam(workTree: string, tenant: Tenant): void {
  const dir = join(workTree, 'tenants');
  const files = existsSync(dir) ? readdirSync(dir).filter((file) => /\.ya?ml$/.test(file)) : [];
  for (const file of files) {
    const documents = readableDocuments(dir, file, tenant);
    if (documents.some((document) => document?.spec?.teamName === tenant.spec.teamName)) {
      throw new PortalError(409, 'exists', `team ${tenant.spec.teamName} already has a tenant (tenants/${file})`, [
        {
          path: 'spec.teamName',
          message: `spec.teamName: "${tenant.spec.teamName}" already has a tenant in tenants/${file}`,
        },
      ]);
    }
  }
}

/** The documents of a tenant file; one that cannot be read safely (an alias bomb) refuses the request. */
function readableDocuments(dir: string, file: string, tenant: Tenant): { spec?: { teamName?: unknown } }[] {
  try {
    return parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map(
      (document) => document.toJS() as { spec?: { teamName?: unknown } },
    );
  } catch (error) {
    throw new PortalError(
      409,
      'unreadable-repository',
      `tenants/${file} cannot be read safely (${oneLine((error as Error).message)}), so team ${tenant.spec.teamName} cannot be checked: fix the file first`,
    );
  }
}

/** Refuses to remove a file that holds anything but exactly the tenant being decommissioned. */
export function refuseSharedFile(workTree: string, file: string, tenant: Tenant): void {
  const path = join(workTree, file);
  if (!existsSync(path)) return; // commitFiles reports the missing file
  const refusal = removalRefusal(file, readFileSync(path, 'utf8'), tenant.metadata.name);
  if (refusal) {
    throw new PortalError(
      409,
      'not-only-this-tenant',
      `${refusal}: decommission it in the platform repository by hand`,
    );
  }
}

/** A file not where the request expects it, as the portal reports it. */
export function fileRefusal(tenant: Tenant) {
  return (error: unknown): never => {
    if (!(error instanceof FileStateError)) throw error;
    if (error.expected === 'absent') {
      throw new PortalError(409, 'exists', `${error.path} already exists in the platform repository`, [
        { path: 'name', message: `name: "${tenant.metadata.name}" is taken; choose another` },
      ]);
    }
    throw new PortalError(
      409,
      'not-in-repository',
      `tenant ${tenant.metadata.name} is not defined by ${error.path} in the platform repository: remove its file there by hand`,
    );
  };
}
