import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { whichProgram } from '../tools/system-packages.ts';

const run = promisify(execFile);

/** The files of Dex's API mutual TLS: Dex's side and the operator's (all PEM, 0600). */
export interface DexApiFiles {
  /** The CA that signed both certificates: Dex trusts only clients it signed, the operator only a Dex it signed. */
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

/** Where an environment keeps them: <identity>/dex-api/. */
export function dexApiFiles(identityDir: string): DexApiFiles {
  const dir = join(identityDir, 'dex-api');
  return {
    ca: join(dir, 'ca.crt'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    clientCert: join(dir, 'operator.crt'),
    clientKey: join(dir, 'operator.key'),
  };
}

/** openssl's settings for the three certificates: a CA that signs leaves only, Dex on loopback, the operator. */
export function certificateProfiles(): string {
  return [
    '[req]',
    'distinguished_name = subject',
    'prompt = no',
    '[subject]',
    '[ca]',
    'basicConstraints = critical,CA:TRUE,pathlen:0',
    'keyUsage = critical,keyCertSign,cRLSign',
    'subjectKeyIdentifier = hash',
    '[server]',
    'basicConstraints = critical,CA:FALSE',
    'keyUsage = critical,digitalSignature',
    'extendedKeyUsage = serverAuth',
    'subjectAltName = IP:127.0.0.1,DNS:localhost',
    'subjectKeyIdentifier = hash',
    'authorityKeyIdentifier = keyid',
    '[client]',
    'basicConstraints = critical,CA:FALSE',
    'keyUsage = critical,digitalSignature',
    'extendedKeyUsage = clientAuth',
    'subjectKeyIdentifier = hash',
    'authorityKeyIdentifier = keyid',
    '',
  ].join('\n');
}

/**
 * Makes the CA, Dex's server certificate (127.0.0.1, localhost) and the operator's client certificate once per
 * environment, by Debian's openssl (node:crypto makes keys, not certificates). The CA's key is deleted once both
 * are signed: nothing else is ever signed by it, so no one can mint another client Dex would let in.
 */
export async function ensureDexApiCertificates(identityDir: string): Promise<DexApiFiles> {
  const files = dexApiFiles(identityDir);
  if (Object.values(files).every((file) => existsSync(file))) return files;
  const dir = join(identityDir, 'dex-api');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const profiles = join(dir, 'profiles.cnf');
  writeFileSync(profiles, certificateProfiles(), { mode: 0o600 });
  const caKey = join(dir, 'ca.key');
  const openssl = whichProgram('openssl') ?? '/usr/bin/openssl';
  const issue = (profile: string, cn: string, key: string, cert: string, signer: string[]) =>
    run(openssl, [
      ...['req', '-x509', '-config', profiles, '-extensions', profile, '-subj', `/CN=${cn}`, '-days', '3650'],
      ...['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert],
      ...signer,
    ]);
  try {
    await issue('ca', 'Landlord local Dex API CA', caKey, files.ca, []);
    const signer = ['-CA', files.ca, '-CAkey', caKey];
    await issue('server', 'dex-api', files.serverKey, files.serverCert, signer);
    await issue('client', 'landlord-operator', files.clientKey, files.clientCert, signer);
    for (const file of Object.values(files)) chmodSync(file, 0o600);
  } finally {
    rmSync(caKey, { force: true });
    rmSync(profiles, { force: true });
  }
  return files;
}
