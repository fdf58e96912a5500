import assert from 'node:assert/strict';
import { it } from 'node:test';
import { giteaAppIni } from './gitea-config.ts';

const input = {
  workPath: '/env/gitea',
  staticRootPath: '/cache/tools/gitea',
  port: 20461,
  secretKey: 'k',
  internalToken: 't',
  jwtSecret: 'j',
  runningAsRoot: false,
};

/** The app.ini as sections of key → value, the way Gitea reads it. */
function parseIni(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = { '': {} };
  let current = '';
  for (const line of text.split('\n').filter((l) => l.trim())) {
    const header = line.match(/^\[(.+)\]$/);
    if (header?.[1]) sections[(current = header[1])] = {};
    else {
      const [key, ...value] = line.split(' = ');
      (sections[current] as Record<string, string>)[key as string] = value.join(' = ');
    }
  }
  return sections;
}

it('listens on loopback only, with no SSH and no calls out, its ROOT_URL the loopback URL', () => {
  const { server } = parseIni(giteaAppIni(input));
  assert.equal(server?.HTTP_ADDR, '127.0.0.1');
  assert.equal(server?.HTTP_PORT, '20461');
  assert.equal(server?.ROOT_URL, 'http://127.0.0.1:20461/');
  assert.equal(server?.DISABLE_SSH, 'true');
  assert.equal(server?.START_SSH_SERVER, 'false');
  assert.equal(server?.OFFLINE_MODE, 'true');
});

it('keeps everything in its folder: SQLite database, repositories, logs', () => {
  const ini = parseIni(giteaAppIni(input));
  assert.equal(ini['']?.WORK_PATH, '/env/gitea');
  assert.deepEqual(ini.database, { DB_TYPE: 'sqlite3', PATH: '/env/gitea/data/gitea.db' });
  assert.equal(ini.repository?.ROOT, '/env/gitea/repositories');
  assert.equal(ini.log?.ROOT_PATH, '/env/gitea/log');
  assert.equal(ini.server?.STATIC_ROOT_PATH, '/cache/tools/gitea');
});

it('sends webhooks to loopback only and lets nobody register or look without signing in', () => {
  const ini = parseIni(giteaAppIni(input));
  assert.equal(ini.webhook?.ALLOWED_HOST_LIST, 'loopback');
  assert.equal(ini.service?.DISABLE_REGISTRATION, 'true');
  assert.equal(ini.service?.REQUIRE_SIGNIN_VIEW, 'true');
  assert.equal(ini.security?.INSTALL_LOCK, 'true');
  assert.equal(ini.security?.SECRET_KEY, 'k');
  // Given, so Gitea does not write one of its own into the file (which would read as a changed configuration).
  assert.equal(ini.oauth2?.JWT_SECRET, 'j');
});

it('says it runs as root only when it does', () => {
  assert.equal(parseIni(giteaAppIni(input))['']?.I_AM_BEING_UNSAFE_RUNNING_AS_ROOT, undefined);
  const asRoot = parseIni(giteaAppIni({ ...input, runningAsRoot: true }));
  assert.equal(asRoot['']?.I_AM_BEING_UNSAFE_RUNNING_AS_ROOT, 'true');
});
