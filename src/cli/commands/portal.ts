import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { forgePlatformLocation } from '../../portal/forge-platform-location.ts';
import type { PortalServerSettings } from '../../portal/server.ts';
import type { CliIo } from '../cli-io.ts';
import { clusterConnection } from '../cluster-connection.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { readPlatformFile } from '../platform-file.ts';
import { hostPortFlag, wholeNumberFlag } from '../flag-values.ts';
import { stopOnSignals } from '../stop-signals.ts';

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
  platformForgeTokenFile?: string;
  platformForgeUser: string;
  platformConfig?: string;
  apiServer?: string;
  smtp?: string;
  mailFrom: string;
  sessionMinutes: string;
  sessionMaxMinutes: string;
  groupCheckMinutes: string;
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
      'cluster to serve (default: KUBECONFIG, in a pod its ServiceAccount, ~/.kube/config, else the local dev environment and its settings)',
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
      '--platform-forge-token-file <file>',
      "gitops on a forge (--platform-repo https://<forge>/<org>/<name>.git): the forge admin token each request's pull request is opened with, as the requester (or LANDLORD_PLATFORM_FORGE_TOKEN)",
    )
    .option(
      '--platform-forge-user <name>',
      'the account of that token: it approves and merges requests within the ceilings',
      'landlord',
    )
    .option(
      '--platform-config <file>',
      "platform settings, the operator's (which repositories are a team's); local environment: its own",
    )
    .option('--api-server <url>', 'API server address written into downloaded kubeconfigs (default: this connection)')
    .option('--smtp <host:port>', 'SMTP server for notifications (none: no mail)')
    .option('--mail-from <address>', 'sender of notifications', 'Landlord <landlord@landlord.local>')
    .option('--session-minutes <n>', 'how long a sign-in lasts unused (1 to 10080)', '60')
    .option('--session-max-minutes <n>', 'how long a sign-in lasts at most, however used (1 to 10080)', '480')
    .option(
      '--group-check-minutes <n>',
      "re-read a person's directory groups before issuing anything when older than this (0: every time; to 60)",
      '0',
    )
    .option('--token-minutes <n>', 'lifetime of kubeconfig tokens (10 to 1440)', '60')
    .option('--rate-limit-per-minute <n>', 'requests a minute per client address (1 to 1000000)', '1200')
    .action(async (flags: PortalFlags) => {
      // Before anything connects: a wrong number is the command line's fault, whatever the cluster.
      const numbers = numericSettings(flags);
      const cluster = await clusterConnection(flags.kubeconfig, 'serve');
      // The local environment's settings (Dex, ports, secrets) only go with the local environment's cluster.
      const local = cluster.origin === 'local environment';
      const settings = portalSettings(flags, numbers, local ? await localSettings() : undefined);
      const log = (line: string) => io.err(`${line}\n`);
      // Loaded when run, so that other commands start without the web server's modules.
      const { startPortalServer } = await import('../../portal/server.ts');
      const { app, url } = await startPortalServer({
        ...settings,
        connection: cluster.connection,
        log,
        audit: (line) => io.out(`${JSON.stringify({ audit: line })}\n`),
      });
      log(
        `[portal] serving on ${url} (public URL ${settings.publicURL}, ${settings.mode} mode, cluster from ${cluster.source})`,
      );
      const stop = new AbortController();
      stopOnSignals(stop, log);
      await new Promise((resolve) => stop.signal.addEventListener('abort', resolve, { once: true }));
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

/** Every number of the command line, each checked against its range. */
function numericSettings(flags: PortalFlags) {
  return {
    listen: flags.listen ? hostPortFlag('--listen', flags.listen) : undefined,
    smtp: flags.smtp ? hostPortFlag('--smtp', flags.smtp) : undefined,
    sessionTtlSeconds:
      wholeNumberFlag('--session-minutes', flags.sessionMinutes, { min: 1, max: 7 * 24 * 60, unit: 'minutes' }) * 60,
    sessionMaxSeconds:
      wholeNumberFlag('--session-max-minutes', flags.sessionMaxMinutes, { min: 1, max: 7 * 24 * 60, unit: 'minutes' }) *
      60,
    groupCheckSeconds:
      wholeNumberFlag('--group-check-minutes', flags.groupCheckMinutes, { min: 0, max: 60, unit: 'minutes' }) * 60,
    // TokenRequest's own minimum is 10 minutes; beyond a day a downloaded kubeconfig is a long-lived credential.
    tokenLifetimeSeconds:
      wholeNumberFlag('--token-minutes', flags.tokenMinutes, { min: 10, max: 24 * 60, unit: 'minutes' }) * 60,
    rateLimitPerMinute: wholeNumberFlag('--rate-limit-per-minute', flags.rateLimitPerMinute, {
      min: 1,
      max: 1_000_000,
    }),
  };
}

type NumericSettings = ReturnType<typeof numericSettings>;

/** The flags over the local environment's settings (when serving it); every required setting named if missing. */
function portalSettings(flags: PortalFlags, numbers: NumericSettings, local: Settings | undefined): Settings {
  const { issuer, clientSecret, requesterGroups, ...required } = requiredSettings(flags, numbers, local);
  const mode = flags.mode ?? local?.mode ?? 'direct';
  if (mode !== 'direct' && mode !== 'gitops') {
    throw new CliError(`--mode: "${mode}" is not one of direct, gitops`, ExitCode.usage);
  }
  return {
    ...required,
    oidc: { issuer, clientID: flags.clientId, clientSecret },
    policy: { requesterGroups, adminGroups: list(flags.adminGroups) },
    sessionTtlSeconds: numbers.sessionTtlSeconds,
    sessionLimits: { absoluteSeconds: numbers.sessionMaxSeconds },
    groupCheckSeconds: numbers.groupCheckSeconds,
    mode,
    platformRepoURL: flags.platformRepo ?? local?.platformRepoURL,
    ...platformForgeSettings(flags),
    platform: platformSettings(flags, local),
    tokenLifetimeSeconds: numbers.tokenLifetimeSeconds,
    rateLimitPerMinute: numbers.rateLimitPerMinute,
    endpoint: flags.apiServer ? { server: flags.apiServer } : undefined,
    smtp: numbers.smtp ? { ...numbers.smtp, from: flags.mailFrom } : local?.smtp,
  };
}

/** GitOps on a forge: requests become pull requests when a token for the forge is given. */
function platformForgeSettings(flags: PortalFlags): Pick<Settings, 'platformForge'> {
  const token = secretFrom(flags.platformForgeTokenFile, 'LANDLORD_PLATFORM_FORGE_TOKEN');
  if (!token) return {};
  const location = flags.platformRepo
    ? forgePlatformLocation(flags.platformRepo, { username: flags.platformForgeUser, token })
    : undefined;
  if (!location)
    throw new CliError(
      `--platform-repo: ${JSON.stringify(flags.platformRepo ?? null)} names no forge repository (https://<forge>/<organisation>/<name>.git), which a forge token needs`,
      ExitCode.usage,
    );
  return { platformForge: location };
}

/** The platform's settings, the operator's: from --platform-config, else the local environment's, else the defaults. */
function platformSettings(flags: PortalFlags, local: Settings | undefined) {
  return flags.platformConfig || !local ? readPlatformFile(flags.platformConfig) : local.platform;
}

/** The settings without a safe default: from the flags, else the local environment, else refused by name. */
function requiredSettings(flags: PortalFlags, numbers: NumericSettings, local: Settings | undefined) {
  const found = {
    ...addressSettings(flags, numbers, local),
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
function addressSettings(flags: PortalFlags, numbers: NumericSettings, local: Settings | undefined) {
  return {
    '--listen': numbers.listen ?? (local && { host: local.host, port: local.port }),
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
