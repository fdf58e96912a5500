/**
 * The Argo CD policies of a team's project role. Argo CD names an Application in its own namespace
 * `<project>/<name>` and one elsewhere `<project>/<namespace>/<name>`: the team views, syncs and reads the logs
 * of every application of its project (its initializer in Argo CD's namespace included), and creates, changes
 * and deletes Applications only in its own namespaces. In Argo CD's namespace it creates nothing, so no member
 * can take a name Landlord derives there (a later team's `application-initializer-<team>`) nor delete or
 * repoint the initializer.
 */
export function teamRolePolicies(project: string, namespaces: readonly string[]): string[] {
  const role = `proj:${project}:team`;
  return [
    `p, ${role}, applications, get, ${project}/*, allow`,
    `p, ${role}, applications, sync, ${project}/*, allow`,
    ...namespaces.map((namespace) => `p, ${role}, applications, *, ${project}/${namespace}/*, allow`),
    `p, ${role}, logs, get, ${project}/*, allow`,
  ];
}
