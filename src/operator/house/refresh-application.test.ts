import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { needsRefresh, refreshAnnotation } from './refresh-application.ts';

// Argo CD's own words (util/argo GetDestinationCluster over db.GetCluster) for a server it has no cluster for.
const unknownCluster =
  'error getting cluster by server "https://127.70.1.2": rpc error: code = NotFound desc = cluster "https://127.70.1.2" not found';

describe('asking the host Argo CD to refresh an Application aimed at a house it does not know yet', () => {
  it('asks when a condition says the destination cluster is not found', () => {
    const app = { status: { conditions: [{ type: 'InvalidSpecError', message: unknownCluster }] } };
    assert.equal(needsRefresh(app), true);
  });

  it('does not ask again while a refresh is pending, nor for any other trouble', () => {
    const pending = {
      metadata: { annotations: { [refreshAnnotation]: 'normal' } },
      status: { conditions: [{ type: 'InvalidSpecError', message: unknownCluster }] },
    };
    assert.equal(needsRefresh(pending), false);
    const other = { status: { conditions: [{ type: 'ComparisonError', message: 'rpc error: repository not found' }] } };
    assert.equal(needsRefresh(other), false);
    assert.equal(needsRefresh({ status: { sync: { status: 'OutOfSync' } } }), false);
  });
});
