import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '../..');
const webSource = join(root, 'web/src');

/** Every module a file imports, types included, as written. */
const importsOf = (file: string) =>
  ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((imported) => imported.fileName);

/** The server modules the web UI reaches, and every import of them that is not another server module. */
function sharedModules(): { reached: Set<string>; impure: string[] } {
  const webFiles = readdirSync(webSource, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.tsx?$/.test(file))
    .map((file) => join(webSource, file));
  const pending = webFiles.flatMap((file) =>
    importsOf(file)
      .filter((name) => name.startsWith('.'))
      .map((name) => resolve(dirname(file), name))
      .filter((path) => !path.startsWith(webSource)),
  );
  const reached = new Set<string>();
  const impure: string[] = [];
  for (let file = pending.pop(); file; file = pending.pop()) {
    if (reached.has(file)) continue;
    reached.add(file);
    for (const name of importsOf(file)) {
      const target = resolve(dirname(file), name);
      if (name.startsWith('.') && target.startsWith(join(root, 'src'))) pending.push(target);
      else impure.push(`${relative(root, file)} imports ${name}`);
    }
  }
  return { reached, impure };
}

describe('what the web UI shares with the server', () => {
  const { reached, impure } = sharedModules();

  it('is pure: the server modules it imports reach no Node module and no package', () => {
    assert.deepEqual(impure, []);
  });

  it('is listed in web/tsconfig.json, so the UI is type-checked with them', () => {
    const tsconfig = readFileSync(join(root, 'web/tsconfig.json'), 'utf8');
    const listed = [...tsconfig.matchAll(/"\.\.\/(src\/[^"]+)"/g)].map((match) => match[1]).sort();
    assert.deepEqual(listed, [...reached].map((file) => relative(root, file)).sort());
  });
});
