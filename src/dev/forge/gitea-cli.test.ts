import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseGiteaTable, withoutLogLines } from './gitea-cli.ts';

it("reads the tables Gitea's admin commands print, by column name", () => {
  const output = 'ID|     Name|              Type|Enabled|\n 1|directory|LDAP (simple auth)|   true|\n\n';
  assert.deepEqual(parseGiteaTable(output), [
    { ID: '1', Name: 'directory', Type: 'LDAP (simple auth)', Enabled: 'true', '': '' },
  ]);
  assert.deepEqual(parseGiteaTable(''), []);
});

it("drops Gitea's console log lines from a command's output, keeping the output itself", () => {
  const stdout =
    '2026/12/01 02:17:58 modules/setting/setting.go:190:loadRunModeFrom() [E] You are running Gitea using the root user\nabc123\n';
  assert.equal(withoutLogLines(stdout).trim(), 'abc123');
});
