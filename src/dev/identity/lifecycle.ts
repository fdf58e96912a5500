import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { environmentDir, environmentPorts, type LocalCluster } from '../cluster/local-cluster.ts';
import { isPortFree } from '../cluster/ports.ts';
import {
  type ProcessSpec,
  runningPid,
  startBackground,
  stopBackground,
  tailOfLog,
} from '../processes/background-process.ts';
import { waitForPort } from '../processes/wait-for-port.ts';
import { binaryPath } from '../tools/cache.ts';
import { ensureSystemPrograms, whichProgram } from '../tools/system-packages.ts';
import { ensureDexApiCertificates } from './dex-api-certificates.ts';
import { dexConfig, dexIssuer } from './dex-config.ts';
import { directoryLdif, exampleDirectory, servicesLdif } from './directory.ts';
import { slapdConfig } from './slapd-config.ts';

const run = promisify(execFile);
type Log = (line: string) => void;

/** Secrets of the local identity provider, generated once per environment, kept in a 0600 file. */
export interface IdentitySecrets {
  adminPassword: string;
  dexBindPassword: string;
  clientSecrets: { argocd: string; portal: string };
  /** Each example user's password, by uid. */
  users: Record<string, string>;
}

/** The local identity provider as clients reach it. */
export interface LocalIdentity {
  issuer: string;
  ldapURL: string;
  baseDN: string;
  /** The file with the generated passwords and client secrets (mode 0600). */
  secretsFile: string;
  /** Dex's gRPC API as the operator reaches it: `landlord operator --dex-api <address> --dex-api-ca <ca> ...`. */
  api: LocalDexApi;
}

/** Dex's gRPC API on loopback and the operator's files for its mutual TLS (PEM, 0600). */
export interface LocalDexApi {
  address: string;
  ca: string;
  cert: string;
  key: string;
}

/** The `landlord operator` flags that give it the local Dex's API. */
export const dexApiFlags = (api: LocalDexApi) => [
  ...['--dex-api', api.address, '--dex-api-ca', api.ca],
  ...['--dex-api-cert', api.cert, '--dex-api-key', api.key],
];

/** The OAuth client IDs Dex knows. */
export const dexClients = { argocd: 'argo-cd', portal: 'landlord-portal' };

export const identityDir = (cluster: LocalCluster) => join(environmentDir(cluster), 'identity');

const secret = () => randomBytes(18).toString('base64url');

/** Reads the environment's identity secrets, creating them on first use. */
export function identitySecrets(cluster: LocalCluster): IdentitySecrets {
  const file = join(identityDir(cluster), 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as IdentitySecrets;
  const users = Object.fromEntries(exampleDirectory().users.map((user) => [user.uid, secret()]));
  const created: IdentitySecrets = {
    adminPassword: secret(),
    dexBindPassword: secret(),
    clientSecrets: { argocd: secret(), portal: secret() },
    users,
  };
  mkdirSync(identityDir(cluster), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600 });
  return created;
}

function identityProcesses(cluster: LocalCluster): ProcessSpec[] {
  const dir = identityDir(cluster);
  const ports = environmentPorts(cluster);
  return [
    {
      name: 'slapd',
      command: whichProgram('slapd') ?? '/usr/sbin/slapd',
      // -d 0: stay in the foreground (our process manager supervises it), no debug output.
      args: ['-f', join(dir, 'slapd.conf'), '-h', `ldap://127.0.0.1:${ports.ldap}/`, '-d', '0'],
    },
    { name: 'dex', command: binaryPath('dex'), args: ['serve', join(dir, 'dex.yaml')] },
  ];
}

/**
 * Starts the local directory (slapd, seeded with the example people and groups on first start) and Dex in
 * front of it, unless they run. Argo CD and the portal sign people in through Dex.
 */
export async function identityUp(
  cluster: LocalCluster,
  urls: { argocd: string; portal: string },
  log: Log,
  sessionMinutes: number,
) {
  ensureSystemPrograms(log);
  const dir = identityDir(cluster);
  const ports = environmentPorts(cluster);
  const secrets = identitySecrets(cluster);
  const directory = exampleDirectory((uid) => secrets.users[uid] ?? secret());
  writeFileSync(
    join(dir, 'slapd.conf'),
    slapdConfig({ dir, baseDN: directory.baseDN, adminPassword: secrets.adminPassword }),
    {
      mode: 0o600,
    },
  );
  const clients = [
    {
      id: dexClients.argocd,
      name: 'Argo CD',
      secret: secrets.clientSecrets.argocd,
      redirectURIs: [`${urls.argocd}/auth/callback`],
    },
    {
      id: dexClients.portal,
      name: 'Landlord',
      secret: secrets.clientSecrets.portal,
      redirectURIs: [`${urls.portal}/auth/callback`],
    },
  ];
  const api = await ensureDexApiCertificates(dir);
  const config = dexConfig({
    api: { port: ports.dexApi, tlsCert: api.serverCert, tlsKey: api.serverKey, tlsClientCA: api.ca },
    port: ports.dex,
    ldapPort: ports.ldap,
    directory,
    bindPassword: secrets.dexBindPassword,
    clients,
    sessionMinutes,
  });
  const configFile = join(dir, 'dex.yaml');
  // A Dex running with another configuration (an environment from before Dex had its API) starts again with this one.
  const changed = !existsSync(configFile) || readFileSync(configFile, 'utf8') !== config;
  writeFileSync(configFile, config, { mode: 0o600 });
  await seedDirectory(dir, directoryLdif(directory) + '\n' + servicesLdif(directory, secrets.dexBindPassword));
  const [slapd, dex] = identityProcesses(cluster) as [ProcessSpec, ProcessSpec];
  if (changed && runningPid(dir, dex)) {
    log('[identity] restarting dex: its configuration changed');
    await stopBackground(dir, dex);
  }
  await ensureListening(dir, slapd, [ports.ldap], log);
  await ensureListening(dir, dex, [ports.dex, ports.dexApi], log);
  const identity: LocalIdentity = {
    issuer: dexIssuer(ports.dex),
    ldapURL: `ldap://127.0.0.1:${ports.ldap}`,
    baseDN: directory.baseDN,
    secretsFile: join(dir, 'secrets.json'),
    api: { address: `127.0.0.1:${ports.dexApi}`, ca: api.ca, cert: api.clientCert, key: api.clientKey },
  };
  return identity;
}

/** Starts the process unless it runs, then waits until it listens on each port. */
async function ensureListening(dir: string, spec: ProcessSpec, ports: number[], log: Log): Promise<void> {
  if (!runningPid(dir, spec)) {
    for (const port of ports) {
      if (!(await isPortFree(port)))
        throw new Error(`cannot start ${spec.name}: 127.0.0.1:${port} is taken by another program`);
    }
    log(`[identity] starting ${spec.name}`);
    startBackground(dir, spec);
  }
  for (const port of ports) {
    if (!(await waitForPort(port, 30_000, () => !runningPid(dir, spec)))) {
      throw new Error(
        `${spec.name} did not listen on 127.0.0.1:${port} within 30s; its last output:\n${tailOfLog(dir, spec.name)}`,
      );
    }
  }
}

/**
 * Stops Dex and starts it again with its configuration: its memory storage forgets the clients the operator made (a
 * crash or an upgrade does the same), which the operator's next pass over each house makes again.
 */
export async function restartDex(cluster: LocalCluster, log: Log): Promise<void> {
  const dir = identityDir(cluster);
  const ports = environmentPorts(cluster);
  const dex = identityProcesses(cluster)[1] as ProcessSpec;
  await stopBackground(dir, dex);
  await ensureListening(dir, dex, [ports.dex, ports.dexApi], log);
}

/** Loads the directory into an empty database, offline (slapadd), once. */
async function seedDirectory(dir: string, ldif: string): Promise<void> {
  const data = join(dir, 'data');
  if (existsSync(data) && readdirSync(data).length > 0) return;
  mkdirSync(data, { recursive: true, mode: 0o700 });
  const seed = join(dir, 'seed.ldif');
  writeFileSync(seed, ldif, { mode: 0o600 });
  try {
    await run(whichProgram('slapadd') ?? '/usr/sbin/slapadd', ['-f', join(dir, 'slapd.conf'), '-l', seed]);
  } finally {
    rmSync(seed, { force: true });
  }
}

/** Stops Dex and slapd. */
export async function identityDown(cluster: LocalCluster): Promise<void> {
  const dir = identityDir(cluster);
  if (!existsSync(dir)) return;
  for (const spec of identityProcesses(cluster).reverse()) await stopBackground(dir, spec);
}
