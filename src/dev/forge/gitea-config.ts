import { join } from 'node:path';

/** What the local Gitea's app.ini is made of. */
export interface GiteaConfigInput {
  /** Gitea's folder: its database, repositories, sessions and logs all stay under it. */
  workPath: string;
  /** The folder with the locales and templates Gitea reads at run time (beside the built binary). */
  staticRootPath: string;
  port: number;
  secretKey: string;
  internalToken: string;
  jwtSecret: string;
  /** Gitea refuses to run as root unless told this is on purpose (the local environment may run as root). */
  runningAsRoot: boolean;
}

/** The local Gitea's URL: loopback only. */
export const giteaUrl = (port: number) => `http://127.0.0.1:${port}`;

/**
 * app.ini for a headless local Gitea: loopback only, SQLite, no SSH, no registration, no network calls out,
 * webhooks only to loopback, sign-in required to see anything. The secrets are generated once per environment.
 */
export function giteaAppIni(input: GiteaConfigInput): string {
  const data = join(input.workPath, 'data');
  const sections: Record<string, Record<string, string | number | boolean>> = {
    '': {
      APP_NAME: 'Landlord local forge',
      RUN_MODE: 'prod',
      WORK_PATH: input.workPath,
      ...(input.runningAsRoot ? { I_AM_BEING_UNSAFE_RUNNING_AS_ROOT: true } : {}),
    },
    server: {
      PROTOCOL: 'http',
      HTTP_ADDR: '127.0.0.1',
      HTTP_PORT: input.port,
      ROOT_URL: `${giteaUrl(input.port)}/`,
      APP_DATA_PATH: data,
      STATIC_ROOT_PATH: input.staticRootPath,
      DISABLE_SSH: true,
      START_SSH_SERVER: false,
      OFFLINE_MODE: true,
      LFS_START_SERVER: false,
    },
    database: { DB_TYPE: 'sqlite3', PATH: join(data, 'gitea.db') },
    repository: { ROOT: join(input.workPath, 'repositories'), DEFAULT_PRIVATE: 'private' },
    security: {
      INSTALL_LOCK: true,
      SECRET_KEY: input.secretKey,
      INTERNAL_TOKEN: input.internalToken,
      PASSWORD_CHECK_PWN: false,
    },
    service: {
      DISABLE_REGISTRATION: true,
      REQUIRE_SIGNIN_VIEW: true,
      DEFAULT_ORG_VISIBILITY: 'private',
      ENABLE_NOTIFY_MAIL: false,
    },
    // Webhooks reach Argo CD on loopback and nothing else.
    webhook: { ALLOWED_HOST_LIST: 'loopback' },
    // No OAuth2 provider (people sign in through the directory); the JWT secret given, or Gitea writes one in.
    oauth2: { ENABLED: false, JWT_SECRET: input.jwtSecret },
    actions: { ENABLED: false },
    packages: { ENABLED: false },
    mailer: { ENABLED: false },
    log: { MODE: 'console', LEVEL: 'Info', ROOT_PATH: join(input.workPath, 'log') },
  };
  return Object.entries(sections)
    .map(([name, keys]) => {
      const lines = Object.entries(keys).map(([key, value]) => `${key} = ${String(value)}`);
      return [...(name ? [`[${name}]`] : []), ...lines].join('\n');
    })
    .join('\n\n')
    .concat('\n');
}
