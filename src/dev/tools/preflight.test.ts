import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { availableMemoryGiB, goVersionProblem, memoryProblem } from './preflight.ts';

describe('the build preflight', () => {
  it('accepts Go 1.26 and newer, whatever the platform or a devel build', () => {
    for (const output of [
      'go version go1.26.0 linux/amd64',
      'go version go1.27.3 darwin/arm64',
      'go version go2.0 linux/amd64',
      'go version devel go1.27-4c3f1a2 Tue Jan 6 2026 linux/amd64',
    ]) {
      assert.equal(goVersionProblem(output), undefined, output);
    }
  });

  it('refuses an older Go, naming the version found and the one needed', () => {
    assert.equal(
      goVersionProblem('go version go1.25.7 linux/amd64'),
      'Go go1.25 is too old: the tool modules need Go >= 1.26.',
    );
    assert.match(goVersionProblem('go version go1.9 linux/amd64') ?? '', /Go go1\.9 is too old/);
  });

  it('explains a missing Go and how to get one', () => {
    assert.match(goVersionProblem(undefined) ?? '', /Go is not installed or not on PATH.*Install Go >= 1\.26/);
  });

  it('reads the available memory from /proc/meminfo', () => {
    const meminfo = 'MemTotal:       16318540 kB\nMemFree:         1048576 kB\nMemAvailable:    6291456 kB\n';
    assert.equal(availableMemoryGiB(meminfo), 6);
    assert.equal(availableMemoryGiB('MemTotal: 1 kB\n'), 0, 'none known, none assumed');
  });

  it('refuses to build with too little memory, saying how much is needed and how much there is', () => {
    assert.equal(memoryProblem(4, 'etcd v3.6.5', 4), undefined);
    assert.equal(
      memoryProblem(6, 'kubernetes v1.36.3', 2.54),
      'building kubernetes v1.36.3 needs about 6 GiB of free memory; this machine has 2.5 GiB available. Stop other programs or use a larger machine.',
    );
  });
});
