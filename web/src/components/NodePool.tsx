import type { TenantSummary } from '../api.ts';

type PoolStatus = NonNullable<TenantSummary['status']['nodePool']>;
type PoolNode = NonNullable<PoolStatus['nodes']>[number];

/**
 * The tenant's dedicated nodes as the operator reports them: each node, its type, state and why; the shortage. Shown
 * while the spec asks for a pool, and while nodes of a pool removed from it are still being given back.
 */
export function NodePool({ tenant }: { tenant: TenantSummary }) {
  const nodes = tenant.status.nodePool?.nodes ?? [];
  if (!tenant.nodePool && nodes.length === 0) return null;
  const condition = tenant.status.conditions.find((entry) => entry.type === 'NodePoolReady');
  return (
    <section aria-labelledby="node-pool-title">
      <h2 id="node-pool-title">Dedicated nodes</h2>
      <p>{poolSummary(tenant.nodePool, tenant.status.nodePool)}</p>
      {condition?.status === 'False' && condition.message ? (
        <p className="warning" role="status">
          {condition.message}
        </p>
      ) : null}
      {nodes.length ? (
        <table className="nodes">
          <thead>
            <tr>
              <th scope="col">Node</th>
              <th scope="col">Type</th>
              <th scope="col">State</th>
              <th scope="col">Since</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {nodes.map((node) => (
              <NodeRow key={node.name} node={node} />
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

/** "1 of 3 memory-optimized nodes ready.", what was asked while nothing is reported, or the nodes going back. */
function poolSummary(asked: TenantSummary['nodePool'], pool: PoolStatus | undefined): string {
  if (!asked) return `No pool asked: ${pool?.nodes?.length ?? 0} node(s) going back to the spare pool.`;
  if (!pool) return `${asked.size} ${asked.instanceType} nodes asked; none reported yet.`;
  return `${pool.ready ?? 0} of ${pool.size ?? asked.size} ${pool.instanceType ?? asked.instanceType} nodes ready.`;
}

function NodeRow({ node }: { node: PoolNode }) {
  return (
    <tr>
      <td>
        <code>{node.name}</code>
      </td>
      <td>{node.instanceType ?? '—'}</td>
      <td>
        <span className={`node-state ${node.state.toLowerCase()}`}>{node.state}</span>
      </td>
      <td>{node.since ? new Date(node.since).toLocaleString() : '—'}</td>
      <td>{node.message ?? ''}</td>
    </tr>
  );
}
