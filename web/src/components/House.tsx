import type { TenantSummary } from '../api.ts';

/** A house's facts: the Kubernetes version its API server reports (else the one requested) and its API URL. */
export function HouseFacts({ tenant }: { tenant: TenantSummary }) {
  const running = tenant.status.kubernetesVersion;
  const requested = tenant.kubernetesVersion;
  const url = tenant.status.urls.vcluster;
  return (
    <>
      <dt>Kubernetes version</dt>
      <dd data-testid="house-version">
        {running ??
          (requested ? `${requested} (requested; not running yet)` : "the platform's default (not running yet)")}
      </dd>
      <dt>API URL</dt>
      <dd data-testid="house-url">{url ? <code>{url}</code> : 'not reported yet'}</dd>
    </>
  );
}

/** Where a namespace tenant's kubeconfig download is: how a house is reached, today and with the next release. */
export function HouseAccess({ tenant }: { tenant: TenantSummary }) {
  return (
    <section aria-labelledby="access-title">
      <h2 id="access-title">Connect to the house</h2>
      <p>
        Access for the team comes with the next release: short-lived tokens inside the house, issued here. A house has
        no kubeconfig download today; its admin certificate is for platform admins only.
      </p>
      <pre className="instructions">
        <code>{`# platform admins\nlandlord vcluster connect ${tenant.teamName}\nkubectl --context vcluster-${tenant.teamName} get namespaces`}</code>
      </pre>
    </section>
  );
}
