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

/**
 * Puts the users in a directory group (creating it), as the identity team would in Active Directory. The
 * change goes through LDAP itself (ldapmodify as the directory's administrator).
 */
export function addToDirectoryGroup(group: string, uids: string[]): void {
  const { identity } = testEnvironment();
  const base = identity.baseDN;
  const members = uids.map((uid) => `member: uid=${uid},ou=people,${base}`);
  const groupDN = `cn=${group},ou=groups,${base}`;
  const add = [`dn: ${groupDN}`, 'changetype: add', 'objectClass: groupOfNames', `cn: ${group}`, ...members].join('\n');
  const modify = [`dn: ${groupDN}`, 'changetype: modify', 'add: member', ...members].join('\n');
  // The password is read from a 0600 file (-y), never put on a command line.
  const passwordFile = join(mkdtempSync(join(tmpdir(), 'landlord-ldap-')), 'admin.pw');
  writeFileSync(passwordFile, identitySecrets().adminPassword, { mode: 0o600 });
  const ldapmodify = (ldif: string) =>
    spawnSync('ldapmodify', ['-x', '-H', identity.ldapURL, '-D', adminDN(base), '-y', passwordFile], {
      input: ldif,
      encoding: 'utf8',
    });
  try {
    const added = ldapmodify(add);
    if (added.status === 0) return;
    if (!added.stderr.includes('Already exists')) throw new Error(`ldapmodify (add ${group}): ${added.stderr}`);
    const modified = ldapmodify(modify);
    if (modified.status !== 0 && !modified.stderr.includes('Type or value exists'))
      throw new Error(`ldapmodify (add members to ${group}): ${modified.stderr}`);
  } finally {
    rmSync(dirname(passwordFile), { recursive: true, force: true });
  }
}

/** Signs a directory user in through Dex (password grant) for the client; returns the ID token. */
export async function signIn(uid: string, clientID: string, clientSecret: string): Promise<string> {
  const password = identitySecrets().users[uid];
  if (!password) throw new Error(`no directory user ${uid}`);
  const response = await fetch(`${testEnvironment().identity.issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientID}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'password',
      username: uid,
      password,
      scope: 'openid profile email groups',
    }),
  });
  const body = (await response.json()) as { id_token?: string; error?: string };
  if (!body.id_token) throw new Error(`Dex refused ${uid}: ${response.status} ${JSON.stringify(body)}`);
  return body.id_token;
}
