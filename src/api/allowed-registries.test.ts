import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allowedRegistriesProblem } from './allowed-registries.ts';
import { parsePlatformConfig } from './platform-config.ts';

describe("the platform's allowed registries", () => {
  it('take hosts with a dot or a port, localhost, and paths below them', () => {
    const entries = [
      'registry.bank.example',
      'registry.bank.example:5000',
      'localhost',
      'docker.io/library',
      'a.b/c/d-e',
    ];
    assert.equal(allowedRegistriesProblem(entries), undefined);
    assert.deepEqual(
      parsePlatformConfig({ allowedRegistries: entries, houses: { enabled: false } }).allowedRegistries,
      entries,
    );
  });

  it('refuse what would match more than it says or not as a registry, naming the entry', () => {
    for (const entry of [
      'registry.bank.example/',
      'https://registry.bank.example',
      'registry.bank.example/*',
      '*.bank.example',
      'Registry.Bank.example',
      'myorg',
      'registry.bank.example:5000:1',
      '',
    ]) {
      const problem = allowedRegistriesProblem(['registry.ok.example', entry]) ?? '';
      assert.ok(problem.startsWith(`allowedRegistries[1]: ${JSON.stringify(entry)} is not a registry host`), problem);
    }
    assert.throws(
      () => parsePlatformConfig({ allowedRegistries: ['docker.io/*'] }),
      /allowedRegistries\[0\]: "docker.io\/\*"/,
    );
  });

  it('refuse an empty list: it would admit no image at all', () => {
    assert.throws(
      () => parsePlatformConfig({ allowedRegistries: [] }),
      /allowedRegistries: \[\] admits no image at all/,
    );
  });
});
