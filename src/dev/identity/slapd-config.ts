import { join } from 'node:path';
import { sshaHash } from './directory.ts';

/** Where Debian's slapd keeps its schemas and backend modules. */
const debianLdap = { schemas: '/etc/ldap/schema', modules: '/usr/lib/ldap' };

/**
 * slapd.conf for the local directory: the standard schemas, one MDB database under the environment's
 * folder, passwords readable by nobody (only usable to bind), everything else readable by bound users only.
 */
export function slapdConfig(options: { dir: string; baseDN: string; adminPassword: string }): string {
  return [
    ...['core', 'cosine', 'inetorgperson', 'nis'].map((schema) => `include ${debianLdap.schemas}/${schema}.schema`),
    `pidfile ${join(options.dir, 'slapd.pid')}`,
    `modulepath ${debianLdap.modules}`,
    'moduleload back_mdb',
    'database mdb',
    'maxsize 104857600',
    `suffix "${options.baseDN}"`,
    `rootdn "cn=admin,${options.baseDN}"`,
    `rootpw ${sshaHash(options.adminPassword)}`,
    `directory ${join(options.dir, 'data')}`,
    'access to attrs=userPassword by anonymous auth by * none',
    'access to * by users read by * none',
    '',
  ].join('\n');
}

/** The administrator's DN (tests use it to change the directory, as an identity team would). */
export const adminDN = (baseDN: string) => `cn=admin,${baseDN}`;
