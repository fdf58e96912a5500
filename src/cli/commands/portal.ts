import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { PortalServerSettings } from '../../portal/server.ts';
import type { CliIo } from '../cli-io.ts';
import { clusterConnection } from '../cluster-connection.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { readPlatformFile } from '../platform-file.ts';

interface PortalFlags {
  kubeconfig?: string;
  listen?: string;
  publicUrl?: string;
  issuer?: string;
  clientId: string;
  clientSecretFile?: string;
  sessionSecretFile?: string;
  requesterGroups?: string;
  adminGroups: string;
  mode?: string;
  platformRepo?: string;
  platformConfig?: string;
  apiServer?: string;
  smtp?: string;
  mailFrom: string;
  sessionMinutes: string;
  tokenMinutes: string;
  rateLimitPerMinute: string;
}

/** `landlord portal`: the self-service portal (API and web UI) until stopped. */
export function registerPortal(program: Command, io: CliIo): void {
  program
    .command('portal')
    .description('Run the self-service portal: sign-in, tenant requests, live status, kubeconfigs')
    .option(
      '--kubeconfig <file>',
      'cluster to serve (default: KUBECONFIG, else the local dev environment and its settings)',
    )
    .option('--listen <host:port>', 'address to serve on (local environment: its portal port)')
    .option('--public-url <url>', 'URL browsers reach the portal at (its OIDC callback is <url>/auth/callback)')
    .option('--issuer <url>', 'OpenID Connect issuer (Dex) users sign in with')
    .option('--client-id <id>', 'OAuth client ID of the portal at the issuer', 'landlord-portal')
    .option('--client-secret-file <file>', 'file holding the OAuth client secret (or LANDLORD_OIDC_CLIENT_SECRET)')
    .option(
      '--session-secret-file <file>',
      'file holding the session signing secret, 32+ characters (or LANDLORD_SESSION_SECRET)',
    )
    .option('--requester-groups <groups>', 'comma-separated directory groups whose members may request tenants')
    .option(
      '--admin-groups <groups>',
      'comma-separated directory groups that see and manage every tenant',
      'platform-admins',
    )
    .option('--mode <mode>', 'direct (create Tenants) or gitops (commit them to --platform-repo)')
    .option('--platform-repo <url>', 'platform repository the gitops mode commits tenants/<name>.yaml to')
    .option(
      '--platform-config <file>',
      "platform settings, the operator's (which repositories are a team's); local environment: its own",
    )
    .option('--api-server <url>', 'API server address written into downloaded kubeconfigs (default: this connection)')
    .option('--smtp <host:port>', 'SMTP server for notifications (none: no mail)')
    .option('--mail-from <address>', 'sender of notifications', 'Landlord <landlord@landlord.local>')
    .option('--session-minutes <n>', 'how long a sign-in lasts', '480')
    .option('--token-minutes <n>', 'lifetime of kubeconfig tokens (10 or more)', '60')
    .option('--rate-limit-per-minute <n>', 'requests a minute per client address', '1200')
    .action(async (flags: PortalFlags) => {
      const local = !flags.kubeconfig && !process.env.KUBECONFIG;
      const connection = await clusterConnection(flags.kubeconfig, 'serve');
      const settings = portalSettings(flags, local ? await localSettings() : undefined);
      const log = (line: string) => io.err(`${line}\n`);
      // Loaded when run, so that other commands start without the web server's modules.
      const { startPortalServer } = await import('../../portal/server.ts');
      const { app, url } = await startPortalServer({
        ...settings,
        connection,
        log,
        audit: (line) => io.out(`${JSON.stringify({ audit: line })}\n`),
      });
      log(`[portal] serving on ${url} (public URL ${settings.publicURL}, ${settings.mode} mode)`);
      await new Promise<void>((resolve) => {
        for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => resolve());
      });
      await app.close();
      log('[portal] stopped');
    });
}

type Settings = Omit<PortalServerSettings, 'connection' | 'audit' | 'log'>;

/** The local environment's settings; dev/ is loaded only when serving it, so a production install never needs it. */
async function localSettings(): Promise<Settings> {
  const { devCluster } = await import('../../dev/cluster/local-cluster.ts');
  const { localPortalSettings } = await import('../../dev/portal-settings.ts');
  return localPortalSettings(devCluster());
}

/** The flags over the local environment's settings (when serving it); every required setting named if missing. */
function portalSettings(flags: PortalFlags, local: Settings | undefined): Settings {
  const { issuer, clientSecret, requesterGroups, ...required } = requiredSettings(flags, local);
  const mode = flags.mode ?? local?.mode ?? 'direct';
  if (mode !== 'direct' && mode !== 'gitops') {
    throw new CliError(`--mode: "${mode}" is not one of direct, gitops`, ExitCode.usage);
  }
  return {
    ...required,
    oidc: { issuer, clientID: flags.clientId, clientSecret },
    policy: { requesterGroups, adminGroups: list(flags.adminGroups) },
    sessionTtlSeconds: minutes(flags.sessionMinutes, '--session-minutes', 1) * 60,
    mode,
    platformRepoURL: flags.platformRepo ?? local?.platformRepoURL,
    platform: platformSettings(flags, local),
    tokenLifetimeSeconds: minutes(flags.tokenMinutes, '--token-minutes', 10) * 60,
    rateLimitPerMinute: wholeNumber(flags.rateLimitPerMinute, '--rate-limit-per-minute', 1),
    endpoint: flags.apiServer ? { server: flags.apiServer } : undefined,
    smtp: flags.smtp ? { ...hostPortOf(flags.smtp, '--smtp'), from: flags.mailFrom } : local?.smtp,
  };
}

/** The platform's settings, the operator's: from --platform-config, else the local environment's, else the defaults. */
function platformSettings(flags: PortalFlags, local: Settings | undefined) {
  return flags.platformConfig || !local ? readPlatformFile(flags.platformConfig) : local.platform;
}

/** The settings without a safe default: from the flags, else the local environment, else refused by name. */
function requiredSettings(flags: PortalFlags, local: Settings | undefined) {
  const found = {
    ...addressSettings(flags, local),
    '--client-secret-file or LANDLORD_OIDC_CLIENT_SECRET':
      secretFrom(flags.clientSecretFile, 'LANDLORD_OIDC_CLIENT_SECRET') ?? local?.oidc.clientSecret,
    '--session-secret-file or LANDLORD_SESSION_SECRET':
      secretFrom(flags.sessionSecretFile, 'LANDLORD_SESSION_SECRET') ?? local?.sessionSecret,
    '--requester-groups': flags.requesterGroups ? list(flags.requesterGroups) : local?.policy.requesterGroups,
  };
  const missing = Object.entries(found).filter(([, value]) => value === undefined);
  if (missing.length) throw new CliError(`missing ${missing.map(([flag]) => flag).join(', ')}`, ExitCode.usage);
  return {
    host: (found['--listen'] as { host: string }).host,
    port: (found['--listen'] as { port: number }).port,
    publicURL: (found['--public-url'] as string).replace(/\/$/, ''),
    issuer: found['--issuer'] as string,
    clientSecret: found['--client-secret-file or LANDLORD_OIDC_CLIENT_SECRET'] as string,
    sessionSecret: found['--session-secret-file or LANDLORD_SESSION_SECRET'] as string,
    requesterGroups: found['--requester-groups'] as string[],
  };
}

/** Where the portal listens and is reached, and where users sign in. */
function addressSettings(flags: PortalFlags, local: Settings | undefined) {
  return {
    '--listen': flags.listen ? hostPortOf(flags.listen, '--listen') : local && { host: local.host, port: local.port },
    '--public-url': flags.publicUrl ?? local?.publicURL,
    '--issuer': flags.issuer ?? local?.oidc.issuer,
  };
}

const list = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

function secretFrom(file: string | undefined, variable: string): string | undefined {
  if (file) return readFileSync(file, 'utf8').trim();
  return process.env[variable] || undefined;
}

function hostPortOf(value: string, flag: string): { host: string; port: number } {
  const match = /^(.+):(\d{1,5})$/.exec(value);
  if (!match) throw new CliError(`${flag}: "${value}" is not host:port`, ExitCode.usage);
  return { host: match[1] as string, port: Number(match[2]) };
}

function wholeNumber(value: string, flag: string, minimum: number, unit = ''): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < minimum) {
    throw new CliError(`${flag}: "${value}" is not a whole number${unit} >= ${minimum}`, ExitCode.usage);
  }
  return number;
}

const minutes = (value: string, flag: string, minimum: number) => wholeNumber(value, flag, minimum, ' of minutes');
