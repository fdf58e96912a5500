import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePlatformConfig } from './platform-config.ts';

/** A platform file setting only houses.argocd. */
const withArgoCd = (argocd: object) => parsePlatformConfig({ houses: { argocd } });

describe('houses.argocd in the platform configuration', () => {
  it('takes the defaults and a local loopback URL over plain http', () => {
    assert.equal(withArgoCd({}).houses.argocd.url, 'https://argocd-{team}.{domain}');
    assert.equal(withArgoCd({ url: 'http://{loopback}:8080' }).houses.argocd.url, 'http://{loopback}:8080');
  });

  it('refuses an unknown placeholder, a URL naming no house, and plain http off loopback', () => {
    assert.throws(
      () => withArgoCd({ url: 'https://argocd-{tenant}.{domain}' }),
      /houses\.argocd\.url: placeholder \{tenant\} is unknown; use \{team\}, \{domain\} or \{loopback\}/,
    );
    assert.throws(
      () => withArgoCd({ url: 'https://argocd.{domain}' }),
      /houses\.argocd\.url: "https:\/\/argocd\.\{domain\}" names no house; use \{team\}/,
    );
    assert.throws(
      () => withArgoCd({ url: 'http://argocd-{team}.{domain}' }),
      /houses\.argocd\.url: "http:\/\/argocd-\{team\}\.\{domain\}" must start with https:\/\/ .*http:\/\/ only with \{loopback\}/,
    );
    assert.throws(
      () => withArgoCd({ url: 'https://argocd-{team}.{domain}/' }),
      /no query, fragment or trailing slash|trailing slash/,
    );
  });

  it('takes egress CIDRs (none by default) and refuses one that is not a CIDR, naming it', () => {
    assert.deepEqual(withArgoCd({}).houses.argocd.egressCIDRs, []);
    assert.deepEqual(withArgoCd({ egressCIDRs: ['192.0.2.10/32'] }).houses.argocd.egressCIDRs, ['192.0.2.10/32']);
    assert.throws(
      () => withArgoCd({ egressCIDRs: ['192.0.2.10/32', 'dex.example.com'] }),
      /houses\.argocd\.egressCIDRs\[1\]: "dex\.example\.com" is not a CIDR/,
    );
  });

  it('refuses empty manifests fields, naming the field', () => {
    assert.throws(
      () => withArgoCd({ manifests: { repoURL: '' } }),
      /houses\.argocd\.manifests\.repoURL: "" is not allowed; give a value without spaces/,
    );
    assert.throws(() => withArgoCd({ manifests: { path: ' ' } }), /houses\.argocd\.manifests\.path: " "/);
    assert.throws(
      () => withArgoCd({ manifests: { targetRevision: '' } }),
      /houses\.argocd\.manifests\.targetRevision: "" is not allowed/,
    );
  });

  it('refuses footprints that do not parse, replicas beyond 0..3 and requests above limits', () => {
    assert.equal(
      withArgoCd({ footprint: { 'argocd-server': { replicas: 0 } } }).houses.argocd.footprint['argocd-server'].replicas,
      0,
    );
    assert.throws(
      () => withArgoCd({ footprint: { 'argocd-server': { replicas: 4 } } }),
      /houses\.argocd\.footprint\.argocd-server\.replicas: 4 is not allowed; use a whole number from 0 to 3/,
    );
    assert.throws(
      () => withArgoCd({ footprint: { 'argocd-redis': { requests: { cpu: 'lots' } } } }),
      /houses\.argocd\.footprint\.argocd-redis\.requests\.cpu: "lots" is not a quantity such as 100m or 256Mi/,
    );
    assert.throws(
      () => withArgoCd({ footprint: { 'argocd-repo-server': { requests: { memory: '2Gi' } } } }),
      /houses\.argocd\.footprint\.argocd-repo-server\.requests\.memory: "2Gi" is more than its limit "1Gi"/,
    );
    assert.throws(() => withArgoCd({ footprint: { 'argocd-dex-server': {} } }), /argocd-dex-server/);
  });

  it('refuses images from a registry the platform does not allow, or without a tag', () => {
    assert.throws(
      () => withArgoCd({ images: { argocd: 'quay.io/argoproj/argocd:v3.5.7' } }),
      /houses\.images: "quay\.io\/argoproj\/argocd:v3\.5\.7" is not from an allowed registry \(registry\.landlord\.local\)/,
    );
    assert.throws(
      () => withArgoCd({ images: { redis: 'registry.landlord.local/library/redis' } }),
      /houses\.argocd\.images\.redis: "registry\.landlord\.local\/library\/redis" is not an image with a registry and a tag/,
    );
  });
});

describe('sso.issuer and sso.adminGroups', () => {
  it('take an https issuer, an http one on loopback only, and group names', () => {
    const config = parsePlatformConfig({
      sso: { issuer: 'http://127.0.0.1:5556/dex', adminGroups: ['platform-admins', 'SRE Team'] },
    });
    assert.equal(config.sso.issuer, 'http://127.0.0.1:5556/dex');
    assert.throws(
      () => parsePlatformConfig({ sso: { issuer: 'dex.financecore.local' } }),
      /sso\.issuer: "dex\.financecore\.local" is not an issuer URL; use https:\/\/host\/path \(http:\/\/ only on a loopback address\)/,
    );
    assert.throws(
      () => parsePlatformConfig({ sso: { issuer: 'http://dex.financecore.local/dex' } }),
      /sso\.issuer: "http:\/\/dex/,
    );
  });

  it('refuses a group name that is empty or would break an Argo CD policy line', () => {
    assert.throws(
      () => parsePlatformConfig({ sso: { adminGroups: ['platform-admins', ''] } }),
      /sso\.adminGroups\[1\]: "" is not a directory group name/,
    );
    assert.throws(
      () => parsePlatformConfig({ sso: { adminGroups: ['a, role:admin'] } }),
      /sso\.adminGroups\[0\]: "a, role:admin"/,
    );
  });
});
