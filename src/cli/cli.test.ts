import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { validTenant } from '../../test/fixtures/tenants.ts';
import { waitFor, within } from '../../test/support/wait.ts';
import { buildProgram, main } from './main.ts';

const landlord = join(import.meta.dirname, '..', '..', 'bin', 'landlord');
const examples = join(import.meta.dirname, '..', '..', 'examples', 'tenants');

/** Runs the CLI in this process, as `landlord ...args` would, capturing what it prints. */
async function run(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const streams = { out: (text: string) => (stdout += text), err: (text: string) => (stderr += text) };
  const status = await main(['node', 'landlord', ...args], streams);
  return { status, stdout, stderr };
}

function writeTemp(name: string, content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'landlord-cli-')), name);
  writeFileSync(file, content);
  return file;
}

describe('the landlord CLI', () => {
  it("runs from bin/landlord on the project's Node, passing arguments, output and exit status through", () => {
    const file = writeTemp('bad.yaml', stringify(validTenant('bad-one', 'Bad_Team')));
    const result = spawnSync(landlord, ['validate', file], { encoding: 'utf8' });
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /spec\.teamName: Invalid value: "Bad_Team"/);
    assert.match(result.stderr, /^landlord: 1 error\(s\) in 1 document\(s\)$/m);
  });

  it('has --help on every command, exiting 0', async () => {
    const commands: string[][] = [[]];
    const walk = (command: ReturnType<typeof buildProgram>, path: string[]) => {
      for (const sub of command.commands) {
        commands.push([...path, sub.name()]);
        walk(sub, [...path, sub.name()]);
      }
    };
    walk(buildProgram({ out() {}, err() {}, setExitCode() {} }), []);
    assert.ok(commands.length >= 7, `commands: ${commands.map((c) => c.join(' '))}`);
    for (const command of commands) {
      const result = await run(...command, '--help');
      assert.equal(result.status, 0, `landlord ${command.join(' ')} --help: ${result.stderr}`);
      assert.match(result.stdout, new RegExp(`^Usage: landlord ${command.join(' ')}`.trimEnd()));
    }
  });

  it('exits 2 on an unknown command or option, saying what is wrong and how to use it', async () => {
    const unknown = await run('evict');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command 'evict'/);
    assert.match(unknown.stderr, /Usage: landlord/);
    const option = await run('validate', '--frobnicate', 'x.yaml');
    assert.equal(option.status, 2);
    assert.match(option.stderr, /unknown option '--frobnicate'/);
    const missing = await run('validate');
    assert.equal(missing.status, 2, 'a missing argument is a usage error');
    assert.match(missing.stderr, /missing required argument 'files'/);
  });

  it('validate: exits 0 on valid files, 1 on invalid ones with every error named, 2 on unreadable ones', async () => {
    const valid = await run('validate', join(examples, 'devteam-a.yaml'), join(examples, 'devteam-b.yaml'));
    assert.equal(valid.status, 0, valid.stderr);
    assert.match(valid.stdout, /2 file\(s\) valid/);

    const bad = validTenant('bad-one', 'Bad_Team');
    bad.spec.nodePool.size = 11;
    const good = validTenant('good-one', 'good-team');
    const file = writeTemp('tenants.yaml', `${stringify(good)}---\n${stringify(bad)}`);
    const invalid = await run('validate', file);
    assert.equal(invalid.status, 1);
    assert.match(invalid.stdout, /document 2, bad-one/);
    assert.match(invalid.stdout, /spec\.teamName: Invalid value: "Bad_Team"/);
    assert.match(invalid.stdout, /spec\.nodePool\.size: Invalid value: 11: must be a whole number from 1 to 10/);
    assert.doesNotMatch(invalid.stdout, /good-one/);
    assert.match(invalid.stderr, /2 error\(s\) in 1 document\(s\)/);

    assert.equal((await run('validate', '/nonexistent/tenant.yaml')).status, 2);
    assert.equal((await run('validate', writeTemp('broken.yaml', 'spec: [unclosed'))).status, 2);
  });

  it('validate: exits 1 quickly on an alias bomb, 2 on nesting too deep to parse, and echoes a huge value bounded', async () => {
    const lol = (level: number) =>
      `l${level}: &l${level} [${Array(9)
        .fill(`*l${level - 1}`)
        .join(', ')}]`;
    const levels = Array.from({ length: 8 }, (_, index) => lol(index + 1)).join('\n');
    const bomb = writeTemp('bomb.yaml', `l0: &l0 "lol"\n${levels}\n`);
    const started = Date.now();
    const exploded = await run('validate', bomb);
    assert.equal(exploded.status, 1, exploded.stderr);
    assert.match(exploded.stderr, /bomb\.yaml: document 1 expands too many aliases \(an alias bomb/);
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);

    // Nesting deeper than the parser goes is YAML it cannot parse: a usage error like any broken file, not 3.
    const deep = await run('validate', writeTemp('deep.yaml', `spec: ${'['.repeat(30_000)}${']'.repeat(30_000)}\n`));
    assert.equal(deep.status, 2, deep.stderr);
    assert.ok(deep.stderr.length < 1000, deep.stderr);

    const tenant = validTenant('huge-one', 'huge-team') as { spec: Record<string, unknown> };
    tenant.spec.ownerEmail = 'x'.repeat(5_000_000);
    const huge = await run('validate', writeTemp('huge.yaml', stringify(tenant)));
    assert.equal(huge.status, 1);
    assert.match(huge.stdout, /spec\.ownerEmail: .*"x{199}\.\.\. \(5000002 characters\)/);
    assert.ok(huge.stdout.length < 2000, `printed ${huge.stdout.length} characters`);

    // The same bomb in a folder to audit, or as the platform configuration: bad input, exit 1.
    const folder = mkdtempSync(join(tmpdir(), 'landlord-bomb-'));
    writeFileSync(join(folder, 'bomb.yaml'), readFileSync(bomb, 'utf8').replace('l0:', 'kind: x\nl0:'));
    const audited = await run('audit', '--folder', folder);
    assert.equal(audited.status, 1, audited.stderr);
    assert.match(audited.stderr, /cannot be read safely/);
    const configured = await run(
      'render',
      join(examples, 'devteam-a.yaml'),
      '--platform-config',
      bomb,
      '--output',
      folder,
    );
    assert.equal(configured.status, 1, configured.stderr);
  });

  it("render: writes the article's folder for each team, byte for byte the same every time", async () => {
    const output = mkdtempSync(join(tmpdir(), 'landlord-render-'));
    const inputs = [join(examples, 'devteam-a.yaml'), join(examples, 'devteam-b.yaml')];
    const first = await run('render', ...inputs, '--output', output);
    assert.equal(first.status, 0, first.stderr);
    const files = readdirSync(join(output, 'teams', 'devteam-a')).sort();
    for (const expected of [
      'namespace.yaml',
      'resource-quotas.yaml',
      'network-policy-default-deny-all.yaml',
      'rbac.yaml',
      'argocd-project-devteam-a.yaml',
      'application-initializer.yaml',
    ]) {
      assert.ok(files.includes(expected), `${expected} in ${files}`);
    }
    // devteam-b has a dedicated node pool: its namespace carries the placement the admission policies read.
    const namespaceOf = (team: string) => readFileSync(join(output, 'teams', team, 'namespace.yaml'), 'utf8');
    assert.match(namespaceOf('devteam-b'), /^ {4}landlord\.dev\/dedicated-nodes: devteam-b$/m);
    assert.doesNotMatch(namespaceOf('devteam-a'), /dedicated-nodes/);
    const snapshot = readFileSync(join(output, 'teams', 'devteam-a', 'resource-quotas.yaml'), 'utf8');
    assert.match(snapshot, /requests\.cpu: "20"/);
    assert.equal((await run('render', ...inputs, '--output', output)).status, 0);
    assert.equal(readFileSync(join(output, 'teams', 'devteam-a', 'resource-quotas.yaml'), 'utf8'), snapshot);
  });

  it("render: writes a house's folder under vclusters/<team>, and refuses a house the platform cannot build", async () => {
    const output = mkdtempSync(join(tmpdir(), 'landlord-render-'));
    const house = validTenant('devteam-h', 'devteam-h');
    house.spec.isolation = 'vcluster';
    house.spec.kubernetesVersion = '1.35';
    delete house.spec.nodePool;
    const written = await run('render', writeTemp('house.yaml', stringify(house)), '--output', output);
    assert.equal(written.status, 0, written.stderr);
    const files = readdirSync(join(output, 'vclusters', 'devteam-h'), { recursive: true })
      .map(String)
      .sort();
    for (const expected of [
      'values.yaml',
      'vcluster-application.yaml',
      'resources/network-policy.yaml',
      'resources/rbac.yaml',
    ])
      assert.ok(files.includes(expected), `${expected} in ${files}`);
    assert.equal(existsSync(join(output, 'teams', 'devteam-h')), false);
    assert.doesNotMatch(readFileSync(join(output, 'vclusters', 'devteam-h', 'values.yaml'), 'utf8'), /&a\d|\*a\d/);

    house.spec.kubernetesVersion = '1.30';
    const refused = await run(
      'render',
      writeTemp('old.yaml', stringify(house)),
      '--output',
      mkdtempSync(join(tmpdir(), 'r-')),
    );
    assert.equal(refused.status, 1);
    assert.match(
      refused.stderr,
      /spec\.kubernetesVersion: "1\.30" is not served by this platform; use one of 1\.35, 1\.36/,
    );
  });

  it("render: refuses invalid tenants, duplicate teams, another team's repository and bad platform files, writing nothing", async () => {
    const output = mkdtempSync(join(tmpdir(), 'landlord-render-'));
    const bad = writeTemp('bad.yaml', stringify({ ...validTenant('x', 'Bad_Team') }));
    const refused = await run('render', join(examples, 'devteam-a.yaml'), bad, '--output', output);
    assert.equal(refused.status, 1);
    assert.match(refused.stdout, /spec\.teamName: Invalid value: "Bad_Team"/);
    assert.match(refused.stderr, /nothing written/);
    assert.equal(existsSync(join(output, 'teams')), false);

    const twin = writeTemp('twin.yaml', stringify(validTenant('another-name', 'devteam-a')));
    const duplicate = await run('render', join(examples, 'devteam-a.yaml'), twin, '--output', output);
    assert.equal(duplicate.status, 1);
    assert.match(duplicate.stderr, /both have teamName devteam-a/);
    assert.equal(existsSync(join(output, 'teams')), false);

    const squatter = validTenant('devteam-a-payments', 'devteam-a-payments');
    const squatting = await run(
      'render',
      join(examples, 'devteam-a.yaml'),
      writeTemp('sq.yaml', stringify(squatter)),
      '--output',
      output,
    );
    assert.equal(squatting.status, 1);
    assert.match(
      squatting.stderr,
      /Tenant devteam-a-payments: teamName "devteam-a-payments" lies in the names of team devteam-a \(Tenant devteam-a\)[^\n]*\nnothing written/,
    );
    assert.equal(existsSync(join(output, 'teams')), false);

    const borrower = validTenant('borrower', 'borrower');
    borrower.spec.gitops = { repoURL: 'https://git.landlord.local/devteam-a-gitops.git' };
    const borrowing = await run('render', writeTemp('borrower.yaml', stringify(borrower)), '--output', output);
    assert.equal(borrowing.status, 1);
    assert.match(
      borrowing.stderr,
      /Tenant borrower: spec\.gitops\.repoURL: "https:\/\/git\.landlord\.local\/devteam-a-gitops\.git" is not one of team borrower's repositories[^\n]*\nnothing written/,
    );
    assert.equal(existsSync(join(output, 'teams')), false);

    const platform = writeTemp('platform.yaml', 'argocd:\n  namepsace: gitops\n');
    const misconfigured = await run(
      'render',
      join(examples, 'devteam-a.yaml'),
      '--platform-config',
      platform,
      '--output',
      output,
    );
    assert.equal(misconfigured.status, 1);
    assert.match(misconfigured.stderr, /argocd\.namepsace: unknown field/);
  });

  it('audit --folder: nothing in rendered output (exit 0); the wildcard trap reported as table and JSON (exit 1)', async () => {
    const output = mkdtempSync(join(tmpdir(), 'landlord-audit-'));
    const inputs = [join(examples, 'devteam-a.yaml'), join(examples, 'devteam-b.yaml')];
    assert.equal((await run('render', ...inputs, '--output', output)).status, 0);
    const clean = await run('audit', '--folder', output);
    assert.equal(clean.status, 0, clean.stdout + clean.stderr);
    assert.match(clean.stdout, /No findings/);

    const project = join(output, 'teams', 'devteam-a', 'argocd-project-devteam-a.yaml');
    writeFileSync(project, readFileSync(join(examples, '..', 'audit', 'wildcard-trap.yaml'), 'utf8'));
    const table = await run('audit', '--folder', output);
    assert.equal(table.status, 1);
    assert.match(table.stdout, /HIGH\s+project-destination-other-tenant\s+AppProject argocd\/devteam-a\s+devteam-a/);
    assert.match(table.stdout, /can deploy into devteam-b's namespace\(s\) devteam-b/);
    assert.match(table.stdout, /fix: list exactly the tenant's namespaces/);
    const json = await run('audit', '--folder', output, '--output', 'json');
    assert.equal(json.status, 1);
    const report = JSON.parse(json.stdout) as { findings: { rule: string }[]; summary: { high: number } };
    assert.ok(report.findings.some((finding) => finding.rule === 'project-destination-other-tenant'));
    assert.equal(report.summary.high, report.findings.length);

    assert.equal((await run('audit', '--folder', output, '--output', 'xml')).status, 2);
    assert.equal((await run('audit', '--folder', join(output, 'missing'))).status, 3);
  });

  describe('numeric and name flags are parsed strictly, before anything connects', () => {
    // A kubeconfig that does not exist: a flag that passed would fail on it instead (exit 3), never reach a cluster.
    const nowhere = ['--kubeconfig', '/nonexistent/kubeconfig'];
    const refused: [command: string, flag: string, value: string, allowed: RegExp][] = [
      ['operator', '--resync-seconds', 'abc', /a whole number of seconds from 0 \(never\) to 86400/],
      ['operator', '--resync-seconds', '-5', /from 0 \(never\) to 86400/],
      ['operator', '--resync-seconds', '1.5', /from 0 \(never\) to 86400/],
      ['operator', '--resync-seconds', '86401', /from 0 \(never\) to 86400/],
      ['operator', '--resync-seconds', '', /from 0 \(never\) to 86400/],
      ['operator', '--workers', '0', /a whole number from 1 to 256/],
      ['operator', '--workers', '8x', /a whole number from 1 to 256/],
      ['operator', '--workers', '1e2', /a whole number from 1 to 256/],
      ['operator', '--listen', '127.0.0.1:abc', /host:port with a port from 1 to 65535/],
      ['operator', '--listen', '127.0.0.1:70000', /host:port with a port from 1 to 65535/],
      ['operator', '--listen', 'localhost', /host:port with a port from 1 to 65535/],
      ['operator', '--lease-namespace', 'Landlord_System', /a namespace name: lowercase letters, digits and '-'/],
      ['portal', '--session-minutes', 'abc', /a whole number of minutes from 1 to 10080/],
      ['portal', '--token-minutes', '5', /a whole number of minutes from 10 to 1440/],
      ['portal', '--token-minutes', ' 60', /a whole number of minutes from 10 to 1440/],
      ['portal', '--rate-limit-per-minute', '0x10', /a whole number from 1 to 1000000/],
      ['portal', '--listen', '127.0.0.1:0', /host:port with a port from 1 to 65535/],
      ['portal', '--smtp', 'mail.example:99999', /host:port with a port from 1 to 65535/],
    ];
    for (const [command, flag, value, allowed] of refused) {
      it(`${command} ${flag} ${JSON.stringify(value)}: exit 2, naming the flag, the value and what is allowed`, async () => {
        const result = await run(command, ...nowhere, flag, value);
        assert.equal(result.status, 2, result.stderr);
        assert.ok(
          result.stderr.includes(`${flag}: ${JSON.stringify(value)} is not allowed; use `),
          `flag and value named: ${result.stderr}`,
        );
        assert.match(result.stderr, allowed);
      });
    }

    it('accepts the bounds of each range (and then stops at the missing kubeconfig)', async () => {
      for (const args of [
        ['operator', '--resync-seconds', '0', '--workers', '256', '--listen', '127.0.0.1:65535'],
        ['operator', '--resync-seconds', '86400', '--workers', '1', '--listen', '[::1]:1'],
        ['portal', '--session-minutes', '10080', '--token-minutes', '10', '--rate-limit-per-minute', '1000000'],
      ]) {
        const result = await run(...args, ...nowhere);
        assert.equal(result.status, 3, `landlord ${args.join(' ')}: ${result.stderr}`);
        assert.match(result.stderr, /\/nonexistent\/kubeconfig does not exist/);
      }
    });
  });

  it('operator: SIGTERM stops it within the deadline although the API server never answers', async () => {
    // A dead network, not Kubernetes: connections are accepted and never answered.
    let asked = 0;
    const hanging = createServer(() => asked++);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const metricsPort = (free.address() as AddressInfo).port;
    await new Promise((resolve) => free.close(resolve));
    const kubeconfig = writeTemp(
      'kubeconfig',
      stringify({
        'current-context': 'dead',
        clusters: [
          { name: 'dead', cluster: { server: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}` } },
        ],
        users: [{ name: 'dead', user: { token: 'unused' } }],
        contexts: [{ name: 'dead', context: { cluster: 'dead', user: 'dead' } }],
      }),
    );
    const args = ['operator', '--kubeconfig', kubeconfig, '--listen', `127.0.0.1:${metricsPort}`];
    const child = spawn(landlord, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      await waitFor(() => asked > 0, 'the operator to ask for its lease', 10_000, 20);
      child.kill('SIGTERM');
      const [code] = (await within(once(child, 'exit'), 8000, 'the operator to exit after SIGTERM')) as [number];
      assert.equal(code, 0, stderr);
      assert.match(stderr, /\[landlord\] SIGTERM: stopping \(at most 10 s\)/);
      assert.match(stderr, /\[operator\] stopped/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      hanging.closeAllConnections();
      hanging.close();
    }
  });
});
