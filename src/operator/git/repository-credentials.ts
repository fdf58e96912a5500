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

const encode = (value: string) => Buffer.from(value).toString('base64');
const decode = (value: string) => Buffer.from(value, 'base64').toString('utf8');
