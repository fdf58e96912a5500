import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { promisify } from 'node:util';
import type { PlatformConfig } from '../../src/api/platform-config.ts';
import type { Finding } from '../../src/audit/finding.ts';
import { auditOptionsFrom } from '../../src/audit/options.ts';
import { testCluster, testEnvironment } from './cluster.ts';

const run = promisify(execFile);
const landlord = join(import.meta.dirname, '..', '..', 'bin', 'landlord');
const scratch = mkdtempSync(join(tmpdir(), 'landlord-audit-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** What one run of `landlord audit -o json` answered. */
export interface AuditRun {
  code: number;
  findings: Finding[];
  /** Everything it printed, to check what must never appear in it. */
  stdout: string;
}

/**
 * Runs `landlord audit -o json` on the test cluster, judged by the test environment's platform settings (its Git
 * folder, Argo CD's namespace), with `changes` over them.
 */
export async function auditCluster(changes: Partial<PlatformConfig> = {}): Promise<AuditRun> {
  const settings = join(scratch, `platform-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(settings, JSON.stringify({ ...testEnvironment().platform, ...changes }));
  const args = ['audit', '--kubeconfig', testCluster().kubeconfig, '--platform-config', settings, '-o', 'json'];
  const result = await run(landlord, args).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string; stderr: string }) => {
      if (error.code !== 1) throw new Error(`landlord audit failed (${error.code}): ${error.stderr}`);
      return { code: 1, stdout: error.stdout };
    },
  );
  const { findings } = JSON.parse(result.stdout) as { findings: Finding[] };
  return { ...result, findings };
}

/** The findings as "rule object" lines, for assertions that show everything found when they fail. */
export const described = (findings: Finding[]) => findings.map((f) => `${f.rule} ${f.object}`);

/** A NetworkPolicy selecting every pod that admits no ingress: a platform namespace's default deny. */
export const denyIngress = (name: string) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name },
  spec: { podSelector: {}, policyTypes: ['Ingress'] },
});

/**
 * Gives every platform namespace the test cluster has a default-deny ingress policy of the test's own, as a
 * finished platform has: the tests then judge the tenants alone. Returns what removes them again.
 */
export async function denyPlatformIngress(name: string): Promise<() => Promise<void>> {
  const { http } = testCluster();
  const created: string[] = [];
  for (const namespace of auditOptionsFrom(testEnvironment().platform).defaultDenyNamespaces) {
    const exists = await http.send({ method: 'GET', path: `/api/v1/namespaces/${namespace}` });
    if (exists.status !== 200) continue;
    const path = `/apis/networking.k8s.io/v1/namespaces/${namespace}/networkpolicies`;
    await http.request({ method: 'POST', path, body: denyIngress(name) });
    created.push(`${path}/${name}`);
  }
  return async () => {
    for (const path of created) await http.send({ method: 'DELETE', path });
  };
}
