import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterRetryMs, needsRefresh, refreshAnnotation } from './refresh-application.ts';

// Argo CD's own words (util/argo GetDestinationCluster over db.GetCluster) for a server it has no cluster for.
const unknownCluster =
  'error getting cluster by server "https://127.70.1.2": rpc error: code = NotFound desc = cluster "https://127.70.1.2" not found';
// Argo CD's own words (controller/state.go over controller/cache) for a known server that did not answer when it compared.
const unreachableCluster =
  'Failed to load live state: failed to get cluster info for "https://127.70.1.2": error synchronizing cache state : failed to get server version: Get "https://127.70.1.2/version?timeout=32s": dial tcp 127.70.1.2:443: connect: connection refused';
const now = Date.parse('2026-12-01T01:25:30Z');
/** Compared when the Application was made with the house, before the house answered. */
const comparedLongAgo = '2026-12-01T01:24:51Z';

describe('asking the host Argo CD to refresh an Application aimed at a house it does not know yet', () => {
  it('asks when a condition says the destination cluster is not found', () => {
    const app = { status: { conditions: [{ type: 'InvalidSpecError', message: unknownCluster }] } };
    assert.equal(needsRefresh(app, now), true);
  });

  it('asks when a condition says the destination cluster could not be reached when Argo CD last compared', () => {
    const app = {
      status: { reconciledAt: comparedLongAgo, conditions: [{ type: 'ComparisonError', message: unreachableCluster }] },
    };
    assert.equal(needsRefresh(app, now), true);
  });

  it('does not ask again within the time Argo CD keeps answering with the cluster’s last error', () => {
    const app = (reconciledAt: string) => ({
      status: { reconciledAt, conditions: [{ type: 'ComparisonError', message: unreachableCluster }] },
    });
    assert.equal(needsRefresh(app(new Date(now - clusterRetryMs + 1000).toISOString()), now), false);
    assert.equal(needsRefresh(app(new Date(now - clusterRetryMs).toISOString()), now), true);
  });

  it('does not ask again while a refresh is pending, nor for any other trouble', () => {
    const pending = (message: string) => ({
      metadata: { annotations: { [refreshAnnotation]: 'normal' } },
      status: { reconciledAt: comparedLongAgo, conditions: [{ type: 'InvalidSpecError', message }] },
    });
    assert.equal(needsRefresh(pending(unknownCluster), now), false);
    assert.equal(needsRefresh(pending(unreachableCluster), now), false);
    const other = { status: { conditions: [{ type: 'ComparisonError', message: 'rpc error: repository not found' }] } };
    assert.equal(needsRefresh(other, now), false);
    assert.equal(needsRefresh({ status: { sync: { status: 'OutOfSync' } } }, now), false);
  });
});
