import type { Tenant } from '../api/tenant.ts';
import { type Mail, type Mailer, sendInBackground } from './mailer.ts';
import type { TenantChange, TenantView } from './tenant-view.ts';
import type { PortalUser } from './user.ts';

const pageOf = (publicURL: string, tenant: Tenant) =>
  `${publicURL}/tenants/${encodeURIComponent(tenant.metadata.name)}`;

/** The mail to the owner when the portal accepts a request. */
export function acceptedMail(
  tenant: Tenant,
  requester: PortalUser,
  mode: 'direct' | 'gitops',
  publicURL: string,
): Mail {
  const how =
    mode === 'gitops'
      ? `It was committed to the platform repository as tenants/${tenant.metadata.name}.yaml and is being provisioned.`
      : 'It is being provisioned.';
  return {
    to: tenant.spec.ownerEmail,
    subject: `[Landlord] Tenant ${tenant.metadata.name} requested`,
    text: [
      `${requester.name} (${requester.email}) requested the tenant ${tenant.metadata.name} for team ${tenant.spec.teamName}, with you as its owner.`,
      how,
      `Follow it at ${pageOf(publicURL, tenant)}`,
    ].join('\n\n'),
  };
}

/** The mail to the owner when a tenant reaches Ready or Failed; undefined for any other change. */
export function phaseMail(change: TenantChange, publicURL: string): Mail | undefined {
  const { tenant, previous } = change;
  const phase = tenant?.status?.phase;
  if (!tenant || !previous || previous.status?.phase === phase) return undefined;
  if (phase === 'Ready') return readyMail(tenant, publicURL);
  if (phase === 'Failed') return failedMail(tenant, publicURL);
  return undefined;
}

function readyMail(tenant: Tenant, publicURL: string): Mail {
  const status = tenant.status ?? {};
  return {
    to: tenant.spec.ownerEmail,
    subject: `[Landlord] Tenant ${tenant.metadata.name} is ready`,
    text: [
      `The tenant ${tenant.metadata.name} of team ${tenant.spec.teamName} is ready.`,
      `Namespaces: ${(status.namespaces ?? []).join(', ')}`,
      ...(status.argocdURL ? [`Argo CD: ${status.argocdURL}`] : []),
      ...(status.gitRepoURL ? [cloneInstructions(tenant, status.gitRepoURL)] : []),
      `Kubeconfig and connection instructions: ${pageOf(publicURL, tenant)}`,
    ].join('\n\n'),
  };
}

/** How the team gets its repository: clone with a directory account, change main through a pull request. */
function cloneInstructions(tenant: Tenant, url: string): string {
  const folder = tenant.spec.isolation === 'vcluster' ? 'argocd-apps/' : 'applicationset/';
  return [
    `Git repository: ${url}`,
    `Clone it with your directory account: git clone ${url}`,
    `Argo CD deploys what main holds under ${folder}; main is protected: push a branch and open a pull request.`,
  ].join('\n');
}

function failedMail(tenant: Tenant, publicURL: string): Mail {
  const reasons = (tenant.status?.conditions ?? [])
    .filter((condition) => condition.status === 'False' && condition.message)
    .map((condition) => `- ${condition.type}: ${condition.message}`);
  return {
    to: tenant.spec.ownerEmail,
    subject: `[Landlord] Tenant ${tenant.metadata.name} failed`,
    text: [
      `Provisioning the tenant ${tenant.metadata.name} of team ${tenant.spec.teamName} failed. Landlord keeps retrying; the platform team has been alerted.`,
      ...(reasons.length ? [reasons.join('\n')] : []),
      `Details: ${pageOf(publicURL, tenant)}`,
    ].join('\n\n'),
  };
}

/** Mails owners as their tenants become Ready or fail, for as long as the returned function is not called. */
export function mailPhaseChanges(
  view: TenantView,
  mailer: Mailer,
  publicURL: string,
  log: (line: string) => void,
): () => void {
  return view.subscribe((change) => {
    const mail = phaseMail(change, publicURL);
    if (mail) sendInBackground(mailer, mail, log);
  });
}
