import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiPath, type ResourceType } from './api-path.ts';

const namespaces: ResourceType = { apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false };
const policies: ResourceType = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  plural: 'networkpolicies',
  namespaced: true,
};

describe('apiPath', () => {
  it('names core and grouped collections, cluster-wide and per namespace', () => {
    assert.equal(apiPath(namespaces), '/api/v1/namespaces');
    assert.equal(apiPath(policies), '/apis/networking.k8s.io/v1/networkpolicies');
    assert.equal(
      apiPath(policies, { namespace: 'team-a' }),
      '/apis/networking.k8s.io/v1/namespaces/team-a/networkpolicies',
    );
  });

  it('names objects and subresources', () => {
    assert.equal(apiPath(namespaces, { name: 'team-a' }), '/api/v1/namespaces/team-a');
    assert.equal(
      apiPath(policies, { namespace: 'a', name: 'deny', subresource: 'status' }),
      '/apis/networking.k8s.io/v1/namespaces/a/networkpolicies/deny/status',
    );
  });

  it('encodes names, so a name cannot climb into another path', () => {
    assert.equal(apiPath(namespaces, { name: '../secrets' }), '/api/v1/namespaces/..%2Fsecrets');
    assert.equal(
      apiPath(policies, { namespace: 'a/b', name: 'x?y' }),
      '/apis/networking.k8s.io/v1/namespaces/a%2Fb/networkpolicies/x%3Fy',
    );
  });

  it('refuses a namespaced object without its namespace, and a subresource without an object', () => {
    assert.throws(
      () => apiPath(policies, { name: 'deny' }),
      /NetworkPolicy deny: a namespaced object needs its namespace/,
    );
    assert.throws(() => apiPath(namespaces, { subresource: 'status' }), /subresource status needs an object name/);
  });
});
