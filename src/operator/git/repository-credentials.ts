import type { Tenant } from '../../api/tenant.ts';
import type { ForgeCredentials } from '../../integrations/git/git-forge.ts';
import type { KubernetesObject } from '../../kube/object.ts';
import { apiPath } from '../../kube/api-path.ts';
import { resources } from '../../kube/resources.ts';
import { repositorySecretName } from '../../tenancy/names.ts';
import type { IntegrationContext } from '../external-integration.ts';

/** The field manager of the credentials alone: the Argo CD concern's apply (manager `landlord`) leaves them be. */
export const credentialsFieldManager = 'landlord-git-reader';

type SecretObject = KubernetesObject & { data?: Record<string, string> };

/** The team's Argo CD repository Secret as cached (the Argo CD concern made it earlier in the pass). */
export function cachedRepositorySecret(ctx: IntegrationContext, tenant: Tenant): SecretObject | undefined {
  return ctx.cache.get('Secret', repositorySecretName(tenant), ctx.platform.argocd.namespace) as
    SecretObject | undefined;
}

/** The reader's credentials the Secret holds, if any. */
export function credentialsIn(secret: SecretObject | undefined): ForgeCredentials | undefined {
  const username = secret?.data?.username;
  const token = secret?.data?.password;
  if (!username || !token) return undefined;
  return { username: decode(username), token: decode(token) };
}

/**
 * Writes the reader's name and token into the repository Secret under a field manager of their own, so the
 * Secret's other fields stay the Argo CD concern's. Returns the Secret as written.
 */
export async function writeCredentials(
  ctx: IntegrationContext,
  tenant: Tenant,
  credentials: ForgeCredentials,
): Promise<SecretObject> {
  const namespace = ctx.platform.argocd.namespace;
  const name = repositorySecretName(tenant);
  const written = await ctx.http.request<SecretObject>({
    method: 'PATCH',
    path: apiPath(resources.secret, { namespace, name }),
    query: { fieldManager: credentialsFieldManager, force: 'true', fieldValidation: 'Strict' },
    contentType: 'application/apply-patch+yaml',
    body: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace },
      data: { username: encode(credentials.username), password: encode(credentials.token) },
    },
  });
  ctx.countWrite('repository-credentials');
  return written;
}

/**
 * Takes the reader's name and token out of the repository Secret, as when the team names a repository of its own:
 * Argo CD must not present them to another host. A JSON patch of those two keys: an apply of nothing under their
 * field manager would also drop the keys the Secret's stringData made, which no manager owns.
 */
export async function withdrawCredentials(ctx: IntegrationContext, tenant: Tenant): Promise<void> {
  await ctx.http.request({
    method: 'PATCH',
    path: apiPath(resources.secret, { namespace: ctx.platform.argocd.namespace, name: repositorySecretName(tenant) }),
    contentType: 'application/json-patch+json',
    body: ['username', 'password'].map((key) => ({ op: 'remove', path: `/data/${key}` })),
  });
  ctx.countWrite('repository-credentials');
}

const encode = (value: string) => Buffer.from(value).toString('base64');
const decode = (value: string) => Buffer.from(value, 'base64').toString('utf8');
