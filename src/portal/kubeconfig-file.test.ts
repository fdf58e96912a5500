import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { houseEntries } from '../cli/commands/vcluster-kubeconfig.ts';
import { buildHouseKubeconfig } from './kubeconfig-file.ts';

describe("a house's kubeconfig from the portal", () => {
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  const text = buildHouseKubeconfig({
    team: 'payments',
    server: 'https://127.64.3.4',
    certificateAuthority: pem,
    token: 't.o.k',
  });

  it('names its cluster, user and context vcluster-<team> and carries only the token and the CA inline', () => {
    const config = parse(text) as Record<string, unknown>;
    assert.equal(config['current-context'], 'vcluster-payments');
    assert.deepEqual(config.users, [{ name: 'vcluster-payments', user: { token: 't.o.k' } }]);
    assert.deepEqual(config.clusters, [
      {
        name: 'vcluster-payments',
        cluster: { server: 'https://127.64.3.4', 'certificate-authority-data': Buffer.from(pem).toString('base64') },
      },
    ]);
  });

  it('is what `landlord vcluster connect` merges: the same entries, a token and no certificate', () => {
    const entries = houseEntries('payments', text);
    assert.equal(entries.name, 'vcluster-payments');
    assert.deepEqual(entries.user, { token: 't.o.k' });
  });
});
