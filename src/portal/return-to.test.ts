import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeReturnTo } from './return-to.ts';

describe('where the browser goes after sign-in', () => {
  it("keeps the portal's own paths, with their query and fragment", () => {
    assert.equal(safeReturnTo('/'), '/');
    assert.equal(safeReturnTo('/tenants/devteam-a'), '/tenants/devteam-a');
    assert.equal(safeReturnTo('/tenants?phase=Ready#top'), '/tenants?phase=Ready#top');
    assert.equal(safeReturnTo('/a/../tenants'), '/tenants');
  });

  it('sends every off-site form home: protocol-relative, backslashes, encodings, absolute URLs, controls', () => {
    const attacks = [
      '//evil.example/phish',
      '/\\evil.example/phish',
      '/%5Cevil.example/phish', // as the browser sends it undecoded
      decodeURIComponent('/%5Cevil.example/phish'),
      '\\\\evil.example',
      '/\\\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      ' //evil.example',
      'https://evil.example/phish',
      'javascript:alert(1)',
      'evil.example',
      '/..//evil.example',
      '/.//evil.example',
      '///evil.example',
      `/${'a'.repeat(3000)}`,
      undefined,
      ['/', '//evil.example'],
    ];
    for (const attack of attacks) {
      const target = safeReturnTo(attack);
      assert.ok(target.startsWith('/') && !target.startsWith('//') && !target.includes('\\'), String(attack));
      assert.equal(new URL(target, 'https://portal.example').origin, 'https://portal.example', String(attack));
    }
    assert.equal(safeReturnTo('/\\evil.example/phish'), '/');
    assert.equal(safeReturnTo('/..//evil.example'), '/');
  });
});
