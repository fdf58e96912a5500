import type { TenantSummary } from '../api.ts';
import { Link } from '../components/Link.tsx';
import { PhaseBadge } from '../components/PhaseBadge.tsx';
import type { FeedState } from '../live-tenants.ts';

/** My tenants with their phase at a glance, live. */
export function TenantList({ tenants, feed }: { tenants: TenantSummary[]; feed: FeedState }) {
  const sorted = tenants.toSorted((a, b) => a.name.localeCompare(b.name));
  return (
    <section aria-labelledby="tenants-title">
      <div className="title-row">
        <h1 id="tenants-title">My tenants</h1>
        <FeedIndicator feed={feed} />
      </div>
      {sorted.length === 0 ? (
        <p>
          No tenants yet. <Link to="/request">Request one</Link>.
        </p>
      ) : (
        <table className="tenants">
          <thead>
            <tr>
              <th scope="col">Tenant</th>
              <th scope="col">Team</th>
              <th scope="col">Phase</th>
              <th scope="col">Isolation</th>
              <th scope="col">Cost centre</th>
              <th scope="col">Owner</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((tenant) => (
              <tr key={tenant.name}>
                <td>
                  <Link to={`/tenants/${encodeURIComponent(tenant.name)}`}>{tenant.name}</Link>
                </td>
                <td>{tenant.teamName}</td>
                <td>
                  <PhaseBadge phase={tenant.status.phase} />
                </td>
                <td>{tenant.isolation}</td>
                <td>{tenant.costCenter}</td>
                <td>{tenant.ownerEmail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Says whether what is shown is live. */
export function FeedIndicator({ feed }: { feed: FeedState }) {
  const text = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' }[feed];
  return (
    <span className={`feed feed-${feed}`} role="status">
      {text}
    </span>
  );
}
