import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { IdentitySecrets } from '../../src/dev/identity/lifecycle.ts';
import { adminDN } from '../../src/dev/identity/slapd-config.ts';
import { testEnvironment } from './cluster.ts';

/** The generated passwords and client secrets of the test environment's identity provider. */
export function identitySecrets(): IdentitySecrets {
  return JSON.parse(readFileSync(testEnvironment().identity.secretsFile, 'utf8')) as IdentitySecrets;
}

/** Runs ldapmodify as the directory's administrator (the password from a 0600 file, never on a command line). */
function ldapmodify(ldif: string) {
  const { identity } = testEnvironment();
  const passwordFile = join(mkdtempSync(join(tmpdir(), 'landlord-ldap-')), 'admin.pw');
  writeFileSync(passwordFile, identitySecrets().adminPassword, { mode: 0o600 });
  try {
    return spawnSync('ldapmodify', ['-x', '-H', identity.ldapURL, '-D', adminDN(identity.baseDN), '-y', passwordFile], {
      input: ldif,
      encoding: 'utf8',
    });
  } finally {
    rmSync(dirname(passwordFile), { recursive: true, force: true });
  }
}

const memberLines = (uids: string[]) =>
  uids.map((uid) => `member: uid=${uid},ou=people,${testEnvironment().identity.baseDN}`);
const groupDN = (group: string) => `cn=${group},ou=groups,${testEnvironment().identity.baseDN}`;

/**
 * Puts the users in a directory group (creating it), as the identity team would in Active Directory. The
 * change goes through LDAP itself (ldapmodify as the directory's administrator).
 */
export function addToDirectoryGroup(group: string, uids: string[]): void {
  const members = memberLines(uids);
  const add = [`dn: ${groupDN(group)}`, 'changetype: add', 'objectClass: groupOfNames', `cn: ${group}`, ...members];
  const added = ldapmodify(add.join('\n'));
  if (added.status === 0) return;
  if (!added.stderr.includes('Already exists')) throw new Error(`ldapmodify (add ${group}): ${added.stderr}`);
  const modified = ldapmodify([`dn: ${groupDN(group)}`, 'changetype: modify', 'add: member', ...members].join('\n'));
  if (modified.status !== 0 && !modified.stderr.includes('Type or value exists'))
    throw new Error(`ldapmodify (add members to ${group}): ${modified.stderr}`);
}

/** Takes the users out of a directory group, as the identity team would when someone leaves the team. */
export function removeFromDirectoryGroup(group: string, uids: string[]): void {
  const ldif = [`dn: ${groupDN(group)}`, 'changetype: modify', 'delete: member', ...memberLines(uids)].join('\n');
  const removed = ldapmodify(ldif);
  if (removed.status !== 0) throw new Error(`ldapmodify (remove members of ${group}): ${removed.stderr}`);
}

/** Removes a directory group whole (a group of names cannot be left without members). */
export function deleteDirectoryGroup(group: string): void {
  const deleted = ldapmodify([`dn: ${groupDN(group)}`, 'changetype: delete'].join('\n'));
  if (deleted.status !== 0) throw new Error(`ldapmodify (delete ${group}): ${deleted.stderr}`);
}

/**
 * Adds a person to the directory with any display name (cn) and mail, written base64 in the LDIF so a newline or
 * YAML syntax in them arrives as it is: what a hostile or careless directory entry looks like. Their password
 * becomes known to signIn and signInToPortal.
 */
export function addDirectoryUser(uid: string, attributes: { name: string; email?: string }, password: string): void {
  const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
  const ldif = [
    `dn: uid=${uid},ou=people,${testEnvironment().identity.baseDN}`,
    'changetype: add',
    'objectClass: inetOrgPerson',
    `uid: ${uid}`,
    `cn:: ${base64(attributes.name)}`,
    `sn: ${uid}`,
    `mail:: ${base64(attributes.email ?? `${uid}@financecore.example`)}`,
    `userPassword:: ${base64(password)}`,
  ].join('\n');
  const added = ldapmodify(ldif);
  if (added.status !== 0 && !added.stderr.includes('Already exists'))
    throw new Error(`ldapmodify (add ${uid}): ${added.stderr}`);
}

/** Dex's token endpoint with the password grant, as the client, for a directory user: the raw answer. */
export function passwordGrant(
  client: { id: string; secret: string },
  uid: string,
  scope = 'openid profile email groups',
): Promise<Response> {
  return fetch(`${testEnvironment().identity.issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'password',
      username: uid,
      password: identitySecrets().users[uid] ?? '',
      scope,
    }),
  });
}

/** Signs a directory user in through Dex (password grant) for the client; returns the ID token. */
export async function signIn(uid: string, clientID: string, clientSecret: string): Promise<string> {
  if (!identitySecrets().users[uid]) throw new Error(`no directory user ${uid}`);
  const response = await passwordGrant({ id: clientID, secret: clientSecret }, uid);
  const body = (await response.json()) as { id_token?: string; error?: string };
  if (!body.id_token) throw new Error(`Dex refused ${uid}: ${response.status} ${JSON.stringify(body)}`);
  return body.id_token;
}
