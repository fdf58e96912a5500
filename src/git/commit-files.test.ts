import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { commitFiles, FileStateError, git } from './commit-files.ts';

const root = mkdtempSync(join(tmpdir(), 'landlord-commit-test-'));
after(() => rmSync(root, { recursive: true, force: true }));

async function bareRepo(name: string): Promise<string> {
  const path = join(root, name);
  await git(root, ['init', '--quiet', '--bare', '--initial-branch=main', path]);
  return pathToFileURL(path).href;
}

const log = async (url: string) =>
  (await git(new URL(url).pathname, ['log', '--format=%an <%ae>|%s', 'main'])).stdout.trim().split('\n');

describe('committing files to a repository', () => {
  it('commits as the author, and refuses a new file that exists or a removal of one that does not', async () => {
    const url = await bareRepo('expect.git');
    const arthur = { name: 'Arthur Dent', email: 'arthur@bank.example' };
    assert.ok(await commitFiles(url, [{ path: 'tenants/a.yaml', content: 'a', expect: 'absent' }], 'Add a', arthur));
    await assert.rejects(
      commitFiles(url, [{ path: 'tenants/a.yaml', content: 'b', expect: 'absent' }], 'Again'),
      FileStateError,
    );
    await assert.rejects(
      commitFiles(url, [{ path: 'tenants/z.yaml', content: null, expect: 'present' }], 'Rm'),
      /not in/,
    );
    assert.equal(
      await commitFiles(url, [{ path: 'tenants/a.yaml', content: 'a' }], 'Same'),
      undefined,
      'no empty commit',
    );
    assert.deepEqual(await log(url), ['Arthur Dent <arthur@bank.example>|Add a']);
  });

  it('lands concurrent commits of different files, redoing the ones that lose the push race', async () => {
    const url = await bareRepo('race.git');
    await commitFiles(url, [{ path: 'README.md', content: 'platform' }], 'First');
    const writers = Array.from({ length: 4 }, (_, index) =>
      commitFiles(url, [{ path: `tenants/t${index}.yaml`, content: `${index}`, expect: 'absent' }], `Add t${index}`),
    );
    await Promise.all(writers);
    const subjects = (await log(url)).map((line) => line.split('|')[1]);
    assert.deepEqual(subjects.toSorted(), ['Add t0', 'Add t1', 'Add t2', 'Add t3', 'First']);
  });
});
