import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { confinedScript, houseUid } from './confinement.ts';

describe("a house's Argo CD confinement", () => {
  it('gives each house address its own user, far from every account of the machine and never root', () => {
    const uids = ['127.64.0.1', '127.64.0.2', '127.65.0.1', '127.127.255.254'].map(houseUid);
    assert.equal(new Set(uids).size, uids.length);
    for (const uid of uids) assert.ok(uid >= 1_000_000_000 && uid < 2 ** 31, String(uid));
  });

  it('stages what it shows before hiding root’s home, then runs the command as the house’s user, not exec’d', () => {
    const script = confinedScript(
      { command: '/root/.cache/tools/argocd', args: ['--port', '1'], cwd: '/root/.cache/env/argocd' },
      {
        uid: 1_000_000_001,
        hidden: ['/root', '/tmp'],
        shown: ['/root/.cache/tools', '/root/.cache/env/argocd'],
        stageDir: '/run/landlord-houses/abc/argocd',
        home: '/root/.cache/env/argocd/home',
        networkNamespace: 'landlord-house-abc-argocd',
        resolvConf: '/root/.cache/env/argocd/resolv.conf',
      },
    ).split('\n');
    const hide = script.findIndex((line) => line.startsWith('mount -t tmpfs'));
    assert.match(script[hide] ?? '', / '\/root'$/);
    assert.match(script[hide + 1] ?? '', / '\/tmp'$/);
    const staged = script.findIndex(
      (line) => line === "mount --bind '/root/.cache/tools' '/run/landlord-houses/abc/argocd/0'",
    );
    const shownAgain = script.findIndex(
      (line) => line === "mount --bind '/run/landlord-houses/abc/argocd/0' '/root/.cache/tools'",
    );
    assert.ok(staged >= 0 && staged < hide && hide < shownAgain);
    const command = script.at(-2) ?? '';
    assert.match(
      command,
      /^'setpriv' '--reuid=1000000001' '--regid=1000000001' '--clear-groups' '--no-new-privs' '--' '\/root\/.cache\/tools\/argocd'/,
    );
    assert.equal(script.at(-1), 'exit $?');
    const resolv = script.findIndex((line) =>
      line.includes("mount --bind '/root/.cache/env/argocd/resolv.conf' /etc/resolv.conf"),
    );
    assert.ok(resolv > shownAgain, 'its own resolv.conf, bound once its folder is shown again');
    assert.ok(!script.some((line) => line.startsWith('exec ')));
  });
});
