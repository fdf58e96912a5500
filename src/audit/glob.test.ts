import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { filepathMatch, globMatch } from './glob.ts';

describe("Argo CD's glob (gobwas/glob)", () => {
  const cases: [string, string, boolean][] = [
    ['devteam-a-*', 'devteam-a-dev', true],
    ['devteam-a-*', 'devteam-a-', true],
    ['devteam-a-*', 'devteam-b', false],
    ['devteam-?', 'devteam-b', true],
    ['devteam-?', 'devteam-bb', false],
    ['devteam-[ab]', 'devteam-b', true],
    ['devteam-[!ab]', 'devteam-b', false],
    ['devteam-[a-c]', 'devteam-c', true],
    ['{devteam-a,payments}-*', 'payments-prod', true],
    ['{devteam-a,payments}-*', 'devteam-b-prod', false],
    ['team.a', 'teamxa', false],
    ['\\*', '*', true],
    ['\\*', 'x', false],
    ['[unclosed', '[unclosed', false],
  ];
  for (const [pattern, value, expected] of cases) {
    it(`${pattern} ${expected ? 'matches' : 'does not match'} ${value}`, () => {
      assert.equal(globMatch(pattern, value), expected);
    });
  }

  it('stops * and ? at separators when given, as for repository URLs', () => {
    assert.equal(globMatch('https://git.example/team-a/*', 'https://git.example/team-a/app'), true);
    assert.equal(globMatch('https://git.example/team-a/*', 'https://git.example/team-a/x/y', ['/']), false);
    assert.equal(globMatch('https://git.example/**', 'https://git.example/x/y', ['/']), true);
  });
});

describe("Go's filepath.Match, for groups and kinds", () => {
  it('matches kinds and groups by glob', () => {
    assert.equal(filepathMatch('*', 'ClusterRole'), true);
    assert.equal(filepathMatch('Cluster*', 'ClusterRoleBinding'), true);
    assert.equal(filepathMatch('rbac.authorization.k8s.io', 'rbac.authorization.k8s.io'), true);
    assert.equal(filepathMatch('', ''), true);
    assert.equal(filepathMatch('', 'apps'), false);
    assert.equal(filepathMatch('{a,b}', 'a'), false, 'braces are literal in Go');
  });
});
