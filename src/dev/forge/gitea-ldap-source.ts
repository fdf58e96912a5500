import { directorySourceName } from './forge-names.ts';
import { giteaCommand, parseGiteaTable } from './gitea-cli.ts';

/** Where the forge finds the directory: the local OpenLDAP on loopback and its base DN. */
export interface DirectoryServer {
  port: number;
  baseDN: string;
}

/**
 * The flags of Gitea's "LDAP (simple auth)" source: Gitea binds as the person (uid=<login>,ou=people,...) with
 * the password they typed, so the forge holds no directory credential of its own.
 */
export function ldapSourceFlags(server: DirectoryServer): string[] {
  const people = `ou=people,${server.baseDN}`;
  return [
    ...['--name', directorySourceName, '--security-protocol', 'unencrypted'],
    ...['--host', '127.0.0.1', '--port', String(server.port)],
    ...['--user-dn', `uid=%s,${people}`, '--user-search-base', people],
    ...['--user-filter', '(&(objectClass=inetOrgPerson)(uid=%s))'],
    ...['--username-attribute', 'uid', '--email-attribute', 'mail', '--surname-attribute', 'sn'],
    '--active',
  ];
}

/** Adds the directory as an authentication source, or brings an existing one in line; returns its ID. */
export async function ensureLdapSource(dir: string, server: DirectoryServer): Promise<number> {
  const existing = await findSource(dir);
  if (existing === undefined) {
    await giteaCommand(dir, ['admin', 'auth', 'add-ldap-simple', ...ldapSourceFlags(server)]);
  } else {
    await giteaCommand(dir, [
      ...['admin', 'auth', 'update-ldap-simple', '--id', String(existing)],
      ...ldapSourceFlags(server),
    ]);
  }
  const id = existing ?? (await findSource(dir));
  if (id === undefined) throw new Error(`gitea has no authentication source named ${directorySourceName}`);
  return id;
}

async function findSource(dir: string): Promise<number | undefined> {
  const row = parseGiteaTable(
    await giteaCommand(dir, ['admin', 'auth', 'list', '--vertical-bars', '--pad-char', ' ']),
  ).find((source) => source.Name === directorySourceName);
  return row ? Number(row.ID) : undefined;
}
