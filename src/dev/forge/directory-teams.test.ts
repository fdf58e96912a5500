import assert from 'node:assert/strict';
import { it } from 'node:test';
import { platformAdminsGroup } from '../identity/directory.ts';
import { teamOptions } from './directory-teams.ts';

it("gives a team write to the repositories it is granted and none of the organisation's other repositories", () => {
  const team = teamOptions('devteam-a');
  assert.equal(team.permission, 'write');
  assert.equal(team.includes_all_repositories, false);
  assert.equal(team.can_create_org_repo, false);
});

it('gives platform admins admin rights on every repository of the organisation', () => {
  const team = teamOptions(platformAdminsGroup);
  assert.equal(team.permission, 'admin');
  assert.equal(team.includes_all_repositories, true);
});
