import assert from 'node:assert/strict';
import { it } from 'node:test';
import { defaultPlatformConfig, parsePlatformConfig } from './platform-config.ts';

it('fills what a platform file leaves out from the defaults', () => {
  const config = parsePlatformConfig({ domain: 'financecore.local', argocd: { namespace: 'gitops' } });
  assert.equal(config.domain, 'financecore.local');
  assert.equal(config.argocd.namespace, 'gitops');
  assert.equal(config.argocd.destinationServer, defaultPlatformConfig.argocd.destinationServer);
  assert.deepEqual(parsePlatformConfig(undefined), defaultPlatformConfig);
});

it('replaces free-form label maps whole', () => {
  const config = parsePlatformConfig({ dns: { podLabels: { 'app.kubernetes.io/name': 'coredns' } } });
  assert.deepEqual(config.dns.podLabels, { 'app.kubernetes.io/name': 'coredns' });
});

it('refuses unknown fields and wrong types, naming the field', () => {
  assert.throws(
    () => parsePlatformConfig({ argocd: { namepsace: 'x' } }),
    /argocd\.namepsace: unknown field; known fields here: namespace, destinationServer, url/,
  );
  assert.throws(
    () => parsePlatformConfig({ namespaceQuota: { pods: '100' } }),
    /namespaceQuota\.pods: "100" is not a number/,
  );
  assert.throws(
    () => parsePlatformConfig({ podSecurityLevel: 'privileged' }),
    /podSecurityLevel: "privileged" is not allowed/,
  );
  assert.throws(() => parsePlatformConfig('domain'), /the configuration: "domain" is not an object/);
});
