/** The key of argocd-secret Argo CD checks a Gitea push by: Gitea's hooks carry Gogs' headers, which Argo CD reads first. */
export const webhookSecretKey = 'webhook.gogs.secret';

/**
 * Every other provider's key, given the same secret: Argo CD picks the parser by the request's headers and checks
 * nothing for a provider without a secret, so a forged push in GitHub's, GitLab's or Bitbucket's form would
 * otherwise be taken unsigned.
 */
export const otherWebhookSecretKeys = [
  'webhook.github.secret',
  'webhook.gitlab.secret',
  'webhook.bitbucket.uuid',
  'webhook.bitbucketserver.secret',
  'webhook.azuredevops.password',
];

/** The Azure DevOps hook's user: its password is the secret (Argo CD checks the pair only when both are set). */
const azureDevOpsUserKey = 'webhook.azuredevops.username';

/** argocd-secret's webhook keys (plain values) for pushes signed with `secret`, under every provider's key. */
export function argoCdWebhookSettings(secret: string): Record<string, string> {
  return {
    [webhookSecretKey]: secret,
    ...Object.fromEntries(otherWebhookSecretKeys.map((key) => [key, secret])),
    [azureDevOpsUserKey]: 'landlord',
  };
}
