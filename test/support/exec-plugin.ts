import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What the fake plugin does on its next runs: print this, say that on stderr, exit with this code. */
export interface PluginBehaviour {
  stdout: string;
  stderr?: string;
  code?: number;
}

/** One run of the fake plugin as it saw it: KUBERNETES_EXEC_INFO parsed, and the env the kubeconfig set. */
export interface PluginRun {
  execInfo: { apiVersion: string; kind: string; spec: { interactive: boolean; cluster?: Record<string, unknown> } };
  configuredEnv: string | null;
}

/** A fake exec credential plugin: a Node script in a temporary directory, answering what `behave` last set. */
export interface FakeExecPlugin {
  /** The directory holding the plugin (bin/plugin.mjs) and what it records; kubeconfigs may go here too. */
  dir: string;
  behave(behaviour: PluginBehaviour): void;
  runs(): PluginRun[];
}

/** Writes the fake plugin. It records each run (so tests count runs instead of waiting) and prints its answer. */
export function fakeExecPlugin(): FakeExecPlugin {
  const dir = mkdtempSync(join(tmpdir(), 'exec-plugin-'));
  mkdirSync(join(dir, 'bin'));
  const plugin = join(dir, 'bin', 'plugin.mjs');
  writeFileSync(
    plugin,
    `#!${process.execPath}
import { appendFileSync, readFileSync } from 'node:fs';
const run = { execInfo: JSON.parse(process.env.KUBERNETES_EXEC_INFO ?? 'null'), configuredEnv: process.env.PLUGIN_SETTING ?? null };
appendFileSync(${JSON.stringify(join(dir, 'runs.jsonl'))}, JSON.stringify(run) + '\\n');
const behaviour = JSON.parse(readFileSync(${JSON.stringify(join(dir, 'behaviour.json'))}, 'utf8'));
process.stderr.write(behaviour.stderr ?? '');
process.stdout.write(behaviour.stdout, () => process.exit(behaviour.code ?? 0));
`,
  );
  chmodSync(plugin, 0o755);
  return {
    dir,
    behave: (behaviour) => writeFileSync(join(dir, 'behaviour.json'), JSON.stringify(behaviour)),
    runs: () => {
      const file = join(dir, 'runs.jsonl');
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as PluginRun);
    },
  };
}

/** The ExecCredential a plugin prints, as JSON. */
export function execCredential(apiVersion: string, status: Record<string, unknown>): string {
  return JSON.stringify({ apiVersion, kind: 'ExecCredential', status });
}

/** A throwaway self-signed EC certificate and key (PEM), by openssl; `ip` adds it as a subjectAltName. */
export function selfSignedCertificate(commonName: string, ip?: string): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'certificate-'));
  const [keyFile, certFile] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  const san = ip ? ['-addext', `subjectAltName=IP:${ip}`] : [];
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'].concat([
      '-subj',
      `/CN=${commonName}`,
      '-keyout',
      keyFile,
      '-out',
      certFile,
      ...san,
    ]),
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}
