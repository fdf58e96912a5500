import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forgePlatformLocation } from './forge-platform-location.ts';

const machine = { username: 'landlord', token: 't' };

describe('the platform repository on a forge, from its clone URL', () => {
  it('reads the forge, the organisation and the name, under a path prefix too', () => {
    assert.deepEqual(forgePlatformLocation('https://git.bank.example/platform/platform.git', machine), {
      url: 'https://git.bank.example',
      repository: { organization: 'platform', name: 'platform' },
      cloneURL: 'https://git.bank.example/platform/platform.git',
      machine,
    });
    assert.equal(
      forgePlatformLocation('https://bank.example/gitea/platform/p.git', machine)?.url,
      'https://bank.example/gitea',
    );
  });

  it('names no forge repository for a folder, a URL with credentials or too short a path', () => {
    for (const url of [
      'file:///srv/platform.git',
      'https://u:p@git.example/o/r.git',
      'https://git.example/r.git',
      'not a url',
    ]) {
      assert.equal(forgePlatformLocation(url, machine), undefined, url);
    }
  });
});
