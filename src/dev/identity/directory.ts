import { createHash, randomBytes } from 'node:crypto';

/** A person in the local directory. */
export interface DirectoryUser {
  uid: string;
  name: string;
  email: string;
  password: string;
}

/** A directory group and its members (uids). */
export interface DirectoryGroup {
  cn: string;
  members: string[];
}

/** The local stand-in for the enterprise directory (Active Directory, in the article). */
export interface Directory {
  baseDN: string;
  users: DirectoryUser[];
  groups: DirectoryGroup[];
}

/** The group whose members may do anything in Landlord (see every tenant, approve, decommission). */
export const platformAdminsGroup = 'platform-admins';

/**
 * The example directory: members of devteam-a and devteam-b (the example tenants' adGroups), a platform
 * admin, and a user in no group. Passwords are random per environment, never written in the repository.
 */
export function exampleDirectory(password: (uid: string) => string = () => randomBytes(12).toString('base64url')) {
  const person = (uid: string, name: string): DirectoryUser => ({
    uid,
    name,
    email: `${uid}@financecore.example`,
    password: password(uid),
  });
  return {
    baseDN: 'dc=financecore,dc=example',
    users: [
      person('alice', 'Alice Anders'),
      person('arthur', 'Arthur Amsel'),
      person('bob', 'Bob Berger'),
      person('carol', 'Carol Chen'),
      person('dave', 'Dave Dorn'),
    ],
    groups: [
      { cn: 'devteam-a', members: ['alice', 'arthur'] },
      { cn: 'devteam-b', members: ['bob'] },
      { cn: platformAdminsGroup, members: ['carol'] },
    ],
  } satisfies Directory;
}

export const peopleDN = (directory: Directory) => `ou=people,${directory.baseDN}`;
export const groupsDN = (directory: Directory) => `ou=groups,${directory.baseDN}`;
export const userDN = (directory: Directory, uid: string) => `uid=${uid},${peopleDN(directory)}`;
export const groupDN = (directory: Directory, cn: string) => `cn=${cn},${groupsDN(directory)}`;

/** A salted SHA-1 password hash in the {SSHA} form slapd verifies (never the password itself in LDIF). */
export function sshaHash(password: string, salt = randomBytes(8)): string {
  const digest = createHash('sha1').update(password).update(salt).digest();
  return `{SSHA}${Buffer.concat([digest, salt]).toString('base64')}`;
}

/** The directory as LDIF for slapadd: the base, people and groups (groupOfNames with member DNs). */
export function directoryLdif(directory: Directory): string {
  const [, dc = 'example'] = directory.baseDN.match(/^dc=([^,]+)/) ?? [];
  const entries = [
    [
      `dn: ${directory.baseDN}`,
      'objectClass: top',
      'objectClass: dcObject',
      'objectClass: organization',
      `o: ${dc}`,
      `dc: ${dc}`,
    ],
    [`dn: ${peopleDN(directory)}`, 'objectClass: organizationalUnit', 'ou: people'],
    [`dn: ${groupsDN(directory)}`, 'objectClass: organizationalUnit', 'ou: groups'],
    ...directory.users.map((user) => [
      `dn: ${userDN(directory, user.uid)}`,
      'objectClass: inetOrgPerson',
      `uid: ${user.uid}`,
      `cn: ${user.name}`,
      `sn: ${user.name.split(' ').at(-1)}`,
      `mail: ${user.email}`,
      `userPassword: ${sshaHash(user.password)}`,
    ]),
    ...directory.groups.map((group) => [
      `dn: ${groupDN(directory, group.cn)}`,
      'objectClass: groupOfNames',
      `cn: ${group.cn}`,
      // groupOfNames needs a member; an empty group names the base DN, which no user logs in as.
      ...(group.members.length
        ? group.members.map((uid) => `member: ${userDN(directory, uid)}`)
        : [`member: ${directory.baseDN}`]),
    ]),
  ];
  return `${entries.map((entry) => entry.join('\n')).join('\n\n')}\n`;
}

/** The account Dex binds with to search the directory: read-only, not an administrator. */
export const dexBindDN = (directory: Directory) => `cn=dex,ou=services,${directory.baseDN}`;

/** The service account entries (Dex's bind account) as LDIF. */
export function servicesLdif(directory: Directory, dexPassword: string): string {
  return [
    [`dn: ou=services,${directory.baseDN}`, 'objectClass: organizationalUnit', 'ou: services'].join('\n'),
    [
      `dn: ${dexBindDN(directory)}`,
      'objectClass: organizationalRole',
      'objectClass: simpleSecurityObject',
      'cn: dex',
      `userPassword: ${sshaHash(dexPassword)}`,
    ].join('\n'),
    '',
  ].join('\n\n');
}
