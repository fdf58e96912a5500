import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tenantResource } from '../../src/api/crd.ts';
import { defaultNodePoolSettings as settings } from '../../src/api/node-pool-settings.ts';
import { apiPath } from '../../src/kube/api-path.ts';
import { resources } from '../../src/kube/resources.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { getNode, notFullySpare, poolFields, poolNodes } from '../support/node-pool.ts';
import { startOperator, waitForPhase } from '../support/operator.ts';

const { http } = testCluster();
startOperator();
const team = uniqueName('hostile');
const asMember = { 'Impersonate-User': 'mallory@financecore.example', 'Impersonate-Group': team };

describe('a team member attacking the node pools', () => {
  it('cannot label, taint, uncordon or mark a node, nor ask for a pool behind the platform’s back', async () => {
    const document = validTenant(team, team);
    delete document.spec.nodePool;
    await http.request({ method: 'POST', path: apiPath(tenantResource), body: document });
    await waitForPhase(team, 'Ready', 60_000);
    const target = (await poolNodes(http)).find((node) => !notFullySpare(node));
    const name = target?.metadata?.name as string;
    const before = poolFields(await getNode(http, name));
    const attempts: [string, object, string?][] = [
      ['claim a spare node for the team', { metadata: { labels: { [settings.ownerLabel]: team } } }],
      ['put the team’s placement label on it', { metadata: { labels: { [settings.placementLabel]: team } } }],
      ['take the spare taint off', { spec: { taints: [] } }],
      [
        'give it the team’s dedicated taint',
        { spec: { taints: [{ key: settings.taintKey, value: team, effect: 'NoSchedule' }] } },
      ],
      [
        'mark it as draining for the operator to release',
        { metadata: { annotations: { 'landlord.dev/draining-since': new Date(0).toISOString() } } },
      ],
      ['report it NotReady', { status: { conditions: [{ type: 'Ready', status: 'False' }] } }, 'status'],
    ];
    for (const [what, body, subresource] of attempts) {
      const answer = await http.send({
        method: 'PATCH',
        path: apiPath(resources.node, { name, ...(subresource ? { subresource } : {}) }),
        contentType: 'application/merge-patch+json',
        headers: asMember,
        body,
      });
      assert.equal(answer.status, 403, `${what}: ${answer.status} ${answer.body.slice(0, 200)}`);
    }
    const request = validTenant(uniqueName('sneaky'), team);
    request.spec.nodePool = { size: 5, instanceType: 'standard' };
    const answer = await http.send({ method: 'POST', path: apiPath(tenantResource), headers: asMember, body: request });
    assert.equal(answer.status, 403, 'a Tenant (and its pool) is requested through the platform only');
    assert.deepEqual(poolFields(await getNode(http, name)), before, 'the node is as it was');
  });
});
