import { useEffect, useState } from 'react';
import { type SessionInfo, type TenantSummary } from '../api.ts';
import { Link } from '../components/Link.tsx';
import { PhaseBadge } from '../components/PhaseBadge.tsx';
import { QuotaBar, shownQuota } from '../components/QuotaBar.tsx';
import { Decommission } from '../components/Decommission.tsx';
import { HouseAccess, HouseFacts } from '../components/House.tsx';
import { KubeconfigDownload } from '../components/KubeconfigDownload.tsx';
import { NodePool } from '../components/NodePool.tsx';
import type { FeedState } from '../live-tenants.ts';
import { FeedIndicator } from './TenantList.tsx';

/**
 * One tenant, live: phase, conditions, namespaces, quota usage, dedicated nodes, links, access and decommission; a
 * house's Kubernetes version and API URL.
 */
export function TenantPage({
  name,
  tenant,
  feed,
  session,
}: {
  name: string;
  tenant?: TenantSummary;
  feed: FeedState;
  session: SessionInfo;
}) {
  if (!tenant) return <Waiting name={name} feed={feed} />;
  const { status } = tenant;
  const house = tenant.isolation === 'vcluster';
  return (
    <article aria-labelledby="tenant-title">
      <div className="title-row">
        <h1 id="tenant-title">{tenant.name}</h1>
        <PhaseBadge phase={status.phase} />
        <FeedIndicator feed={feed} />
      </div>
      {status.message ? <p className="status-message">{status.message}</p> : null}
      <dl className="facts">
        <dt>Team</dt>
        <dd>{tenant.teamName}</dd>
        <dt>Owner</dt>
        <dd>{tenant.ownerEmail}</dd>
        <dt>Cost centre</dt>
        <dd>{tenant.costCenter}</dd>
        <dt>Directory group</dt>
        <dd>{tenant.adGroup}</dd>
        <dt>Isolation</dt>
        <dd>{tenant.isolation}</dd>
        {house ? <HouseFacts tenant={tenant} /> : null}
        <dt>Nodes</dt>
        <dd>{tenant.nodePool ? `${tenant.nodePool.size} × ${tenant.nodePool.instanceType} (dedicated)` : 'shared'}</dd>
        <dt>Namespaces</dt>
        <dd>{status.namespaces.join(', ') || '—'}</dd>
      </dl>
      <section aria-labelledby="quota-title">
        <h2 id="quota-title">Quota usage</h2>
        {status.quota.length ? (
          shownQuota(status.quota).map((usage) => <QuotaBar key={usage.resource} usage={usage} />)
        ) : (
          <p>Not reported yet.</p>
        )}
      </section>
      <NodePool tenant={tenant} />
      <Links tenant={tenant} />
      <section aria-labelledby="conditions-title">
        <h2 id="conditions-title">Conditions</h2>
        <ul className="conditions">
          {status.conditions.map((condition) => (
            <li key={condition.type}>
              <strong>{condition.type}</strong>: {condition.status}
              {condition.message ? ` — ${condition.message}` : ''}
            </li>
          ))}
        </ul>
      </section>
      {house ? <HouseAccess tenant={tenant} /> : <KubeconfigDownload tenant={tenant} />}
      {mayDecommission(session, tenant) ? <Decommission tenant={tenant} /> : null}
    </article>
  );
}

function Links({ tenant }: { tenant: TenantSummary }) {
  const { urls } = tenant.status;
  const entries = Object.entries({ 'Argo CD': urls.argocd, 'Git repository': urls.git, Grafana: urls.grafana }).filter(
    ([, url]) => url,
  );
  if (!entries.length) return null;
  return (
    <section aria-labelledby="links-title">
      <h2 id="links-title">Links</h2>
      <ul>
        {entries.map(([label, url]) => (
          <li key={label}>
            {label}: {url?.startsWith('http') ? <a href={url}>{url}</a> : <code>{url}</code>}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Before the tenant appears (a GitOps request waits for Argo CD) or when it is not ours. */
function Waiting({ name, feed }: { name: string; feed: FeedState }) {
  // A GitOps request appears within seconds; after a minute, it is not coming (or not ours).
  const [gaveUp, setGaveUp] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setGaveUp(true), 60_000);
    return () => clearTimeout(timer);
  }, [name]);
  return (
    <section>
      <div className="title-row">
        <h1>{name}</h1>
        <FeedIndicator feed={feed} />
      </div>
      <p role="status">
        {feed === 'live' && gaveUp
          ? `No tenant ${name} that you can see.`
          : `Waiting for ${name} to appear… This page updates by itself.`}
      </p>
      <Link to="/">Back to my tenants</Link>
    </section>
  );
}

/** The portal's rule (authorization.ts canDecommission), shown as it is: the owner and platform admins only. */
function mayDecommission(session: SessionInfo, tenant: TenantSummary): boolean {
  return session.admin || session.user.email.toLowerCase() === tenant.ownerEmail.toLowerCase();
}
