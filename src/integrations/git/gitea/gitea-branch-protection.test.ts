import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { branchProtectionRule, ruleMatches } from './gitea-branch-protection.ts';

const protection = { branch: 'main', requiredApprovals: 1, approverTeams: ['platform-admins'] };

describe("a branch's protection rule on Gitea", () => {
  it('forbids pushes and force pushes, and counts approvals from the teams given, each once', () => {
    const rule = branchProtectionRule(protection, ['devteam-a', 'platform-admins', 'platform-admins']);
    assert.equal(rule.enable_push, false);
    assert.equal(rule.enable_force_push, false);
    assert.equal(rule.required_approvals, 1);
    assert.equal(rule.enable_approvals_whitelist, true);
    assert.deepEqual(rule.approvals_whitelist_teams, ['devteam-a', 'platform-admins']);
    assert.equal(rule.block_admin_merge_override, true);
  });

  it('matches the rule Gitea returns when it says the same, whatever the order of its lists', () => {
    const wanted = branchProtectionRule(protection, ['platform-admins', 'devteam-a']);
    const current = {
      ...wanted,
      approvals_whitelist_teams: ['platform-admins', 'devteam-a'],
      branch_name: 'main',
      created_at: '2026-12-01T00:00:00Z',
    };
    assert.equal(ruleMatches(current, wanted), true);
    assert.equal(ruleMatches({ ...current, required_approvals: 2 }, wanted), false);
    assert.equal(ruleMatches({ ...current, enable_push: true }, wanted), false);
    assert.equal(ruleMatches({ ...current, approvals_whitelist_teams: ['platform-admins'] }, wanted), false);
    assert.equal(ruleMatches({ ...current, approvals_whitelist_teams: null }, wanted), false);
  });
});
