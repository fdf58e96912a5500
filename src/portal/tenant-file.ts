import { Document, parseAllDocuments } from 'yaml';
import { bounded } from '../api/field-errors.ts';
import type { Tenant } from '../api/tenant.ts';
import type { PortalUser } from './user.ts';

// Line breaks YAML 1.1 or 1.2 knows (\r, \n, NEL, LS, PS), every other control character and whitespace runs.
// eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
const breaksAndControls = /[\s\u0000-\u001f\u007f-\u009f]+/g;

/**
 * A directory attribute as one plain line (control characters and line breaks become spaces, at most 200
 * characters): what the portal writes into comments, commit messages and Git identities, so no display name
 * or username can start a line of its own.
 */
export function oneLine(text: string): string {
  return bounded(text.replace(breaksAndControls, ' ').trim());
}

/** Who requested it, as a Git author: one-line name; an email Git will not reinterpret (no <, >, whitespace). */
export function gitAuthor(user: PortalUser): { name: string; email: string } {
  const name = oneLine(user.name).replace(/[<>]/g, '') || 'unknown';
  const email = /^[^\s<>]+$/.test(user.email) ? user.email : 'unknown@invalid';
  return { name, email };
}

/**
 * The YAML of `tenants/<name>.yaml`: the Tenant through the yaml library's stringify (every value quoted or
 * escaped as YAML needs), under a one-line comment naming the requester.
 */
export function tenantFileContent(tenant: Tenant, requester: PortalUser): string {
  const document = new Document(tenant);
  document.commentBefore = ` Requested in the Landlord portal by ${oneLine(requester.username)}.`;
  return document.toString({ lineWidth: 0 });
}

/**
 * Why `tenants/<name>.yaml` must not be removed to decommission the tenant, or undefined when it holds exactly
 * that one Tenant: removing a file that holds more (or something else) would decommission more than asked.
 */
export function removalRefusal(file: string, text: string, tenantName: string): string | undefined {
  let documents: unknown[];
  try {
    const parsed = parseAllDocuments(text);
    const broken = parsed.find((document) => document.errors.length > 0);
    if (broken) return `${file} is not valid YAML (${oneLine(broken.errors[0]?.message ?? '')})`;
    documents = parsed.map((document) => document.toJS() as unknown).filter((content) => content !== null);
  } catch (error) {
    return `${file} cannot be read safely (${oneLine((error as Error).message)})`;
  }
  const described = documents.map((content) => {
    const { kind, metadata } = (content ?? {}) as { kind?: unknown; metadata?: { name?: unknown } };
    return `${oneLine(String(kind ?? 'no kind'))} ${oneLine(String(metadata?.name ?? '<no name>'))}`;
  });
  if (documents.length !== 1) {
    return `${file} holds ${documents.length} documents (${described.join(', ') || 'none'}), not only Tenant ${tenantName}`;
  }
  const [only] = documents as { kind?: unknown; metadata?: { name?: unknown } }[];
  if (only?.kind !== 'Tenant' || only.metadata?.name !== tenantName) {
    return `${file} holds ${described[0]}, not Tenant ${tenantName}`;
  }
  return undefined;
}
