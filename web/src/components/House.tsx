import type { TenantSummary } from '../api.ts';
import { KubeconfigDownload } from './KubeconfigDownload.tsx';

/** A house's facts: the Kubernetes version its API server reports (else the one requested), its API and Argo CD URLs. */
export function HouseFacts({ tenant }: { tenant: TenantSummary }) {
  const running = tenant.status.kubernetesVersion;
  const requested = tenant.kubernetesVersion;
  const url = tenant.status.urls.vcluster;
  const argocd = tenant.status.urls.argocd;
  return (
    <>
      <dt>Kubernetes version</dt>
      <dd data-testid="house-version">
        {running ??
          (requested ? `${requested} (requested; not running yet)` : "the platform's default (not running yet)")}
      </dd>
      <dt>API URL</dt>
      <dd data-testid="house-url">{url ? <code>{url}</code> : 'not reported yet'}</dd>
      <dt>Argo CD URL</dt>
      <dd data-testid="house-argocd">{argocd ? <a href={argocd}>{argocd}</a> : 'not reported yet'}</dd>
    </>
  );
}

/**
 * How a house is reached: the kubeconfig download (the person's own short-lived token inside the house, never its
 * admin certificate), or the CLI, which asks this portal for the same.
 */
export function HouseAccess({ tenant }: { tenant: TenantSummary }) {
  return (
    <>
      <KubeconfigDownload tenant={tenant} />
      <section aria-labelledby="house-cli-title">
        <h2 id="house-cli-title">Or with the CLI</h2>
        <p>
          With your portal session (the value of its landlord_session cookie in LANDLORD_PORTAL_SESSION), the CLI writes
          the same short-lived access as a context of your kubeconfig.
        </p>
        <pre className="instructions">
          <code>{`landlord vcluster connect ${tenant.teamName} --portal ${window.location.origin}\nkubectl --context vcluster-${tenant.teamName} get namespaces`}</code>
        </pre>
      </section>
    </>
  );
}
