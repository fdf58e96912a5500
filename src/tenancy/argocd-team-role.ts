/**
 * The Argo CD policies of a team's project role: what the team needs, viewing, syncing and reading the logs of
 * the applications of its project (its initializer in Argo CD's namespace included), and nothing that creates,
 * changes or deletes one. Its applications come from its repository through the initializer; through the API
 * or the UI no member can take a name Landlord derives in Argo CD's namespace (a later team's
 * `application-initializer-<team>`), nor delete or repoint the initializer. ApplicationSets and projects are
 * named by no policy.
 */
export function teamRolePolicies(project: string): string[] {
  const role = `proj:${project}:team`;
  return [
    `p, ${role}, applications, get, ${project}/*, allow`,
    `p, ${role}, applications, sync, ${project}/*, allow`,
    `p, ${role}, logs, get, ${project}/*, allow`,
  ];
}
