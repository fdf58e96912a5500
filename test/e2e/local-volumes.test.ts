import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import {
  hostFolderOfVolume,
  localProvisionerName,
  localStorageClassName,
  volumesDir,
} from '../../src/dev/cluster/local-volumes.ts';
import { asBreakGlass } from '../support/break-glass.ts';
import { ensureNamespace, testCluster, uniqueName } from '../support/cluster.ts';
import { startFactoryOperator } from '../support/git-factory.ts';
import { provisionTeam } from '../support/teams.ts';
import { waitFor } from '../support/wait.ts';

// KWOK has no volume provisioner: without the local one, a house's StatefulSet (its /data claim) stays Pending.
const { http, cluster } = testCluster();
startFactoryOperator();
const namespace = uniqueName('volumes');
after(() => http.send({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}` }));

const get = <T>(path: string) => http.request<T>({ method: 'GET', path });
const claimPath = (ns: string, name: string) => `/api/v1/namespaces/${ns}/persistentvolumeclaims/${name}`;
const volumePath = (name: string) => `/api/v1/persistentvolumes/${name}`;
const gone = async (path: string) => (await http.send({ method: 'GET', path })).status === 404;

/** A StatefulSet of one replica whose pod mounts a claim from a template, as the vCluster chart's is. */
const statefulSet = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name },
  spec: {
    replicas: 1,
    serviceName: name,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        containers: [
          {
            name: 'main',
            image: 'registry.landlord.local/busybox:1',
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          },
        ],
      },
    },
    volumeClaimTemplates: [
      {
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      },
    ],
  },
});

describe('local persistent volumes', () => {
  it('has a default StorageClass that binds at once', async () => {
    const storageClass = await get<StorageClass>(`/apis/storage.k8s.io/v1/storageclasses/${localStorageClassName}`);
    assert.equal(storageClass.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'], 'true');
    assert.equal(storageClass.volumeBindingMode, 'Immediate');
    assert.equal(storageClass.reclaimPolicy, 'Delete');
  });

  it("binds a StatefulSet's claim to a folder of its own, schedules the pod, and removes the folder on release", async () => {
    await ensureNamespace(http, namespace);
    const name = 'store';
    await http.request({
      method: 'POST',
      path: `/apis/apps/v1/namespaces/${namespace}/statefulsets`,
      body: statefulSet(name),
    });
    const claim = claimPath(namespace, `data-${name}-0`);
    await waitFor(
      async () => (await http.send({ method: 'GET', path: claim })).status === 200,
      'the claim from the template',
    );
    await waitFor(
      async () => (await get<PersistentVolumeClaim>(claim)).status?.phase === 'Bound',
      'the claim Bound by the cluster',
      60_000,
    );
    const bound = await get<PersistentVolumeClaim>(claim);
    assert.equal(bound.spec?.storageClassName, localStorageClassName, 'the default class was given');
    const volumeName = bound.spec?.volumeName ?? '';
    const volume = await get<PersistentVolume>(volumePath(volumeName));
    assert.equal(volume.metadata?.annotations?.['pv.kubernetes.io/provisioned-by'], localProvisionerName);
    assert.equal(volume.spec?.claimRef?.uid, bound.metadata?.uid);
    assert.equal(volume.spec?.persistentVolumeReclaimPolicy, 'Delete');
    const folder = hostFolderOfVolume(volume, cluster);
    assert.equal(folder, join(volumesDir(cluster), volumeName));
    assert.ok(folder && existsSync(folder), `the folder ${folder} exists`);
    writeFileSync(join(folder, 'state'), 'kept');

    await waitFor(
      async () => Boolean((await get<Pod>(`/api/v1/namespaces/${namespace}/pods/${name}-0`)).spec?.nodeName),
      'the pod scheduled once its claim is bound',
      60_000,
    );

    await http.request({ method: 'DELETE', path: `/apis/apps/v1/namespaces/${namespace}/statefulsets/${name}` });
    await http.request({ method: 'DELETE', path: claim });
    await waitFor(() => gone(volumePath(volumeName)), 'the released volume deleted', 60_000);
    await waitFor(() => !existsSync(folder), 'its folder removed', 10_000);
  });

  it("gives a team no way to another claim's volume: a claim naming it is refused, and one let through stays Pending with no volume", async () => {
    const team = uniqueName('squatter');
    const group = await provisionTeam(team, 'devteam-a');
    const asMember = { 'Impersonate-User': `mallory@${team}.example`, 'Impersonate-Group': group };
    await ensureNamespace(http, namespace);
    const victim = 'victim-data';
    await http.request({
      method: 'POST',
      path: `/api/v1/namespaces/${namespace}/persistentvolumeclaims`,
      body: {
        metadata: { name: victim },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      },
    });
    await waitFor(
      async () => (await get<PersistentVolumeClaim>(claimPath(namespace, victim))).status?.phase === 'Bound',
      "the victim's claim Bound",
      60_000,
    );
    const victimVolume = (await get<PersistentVolumeClaim>(claimPath(namespace, victim))).spec?.volumeName ?? '';

    // The member may create claims in the team's namespace, but none naming a volume: the volume-claims guardrail.
    const stolenClaim = {
      metadata: { name: 'stolen' },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: localStorageClassName,
        volumeName: victimVolume,
        resources: { requests: { storage: '1Gi' } },
      },
    };
    const refused = await http.send({
      method: 'POST',
      path: `/api/v1/namespaces/${team}/persistentvolumeclaims`,
      headers: asMember,
      body: stolenClaim,
    });
    assert.equal(refused.status, 403, refused.body);
    assert.match(
      refused.body,
      new RegExp(`no claim of a chosen volume\\): PersistentVolumeClaim ${team}/stolen names`),
    );
    // And were the guardrail off (break-glass passes it), the provisioner and the binder still give it nothing.
    await http.request({
      method: 'POST',
      path: `/api/v1/namespaces/${team}/persistentvolumeclaims`,
      headers: asBreakGlass,
      body: stolenClaim,
    });
    // The provisioner and the binder run every second: give them many rounds to get it wrong.
    const stolen = claimPath(team, 'stolen');
    let rounds = 0;
    await waitFor(
      async () => {
        const claim = await get<PersistentVolumeClaim>(stolen);
        assert.notEqual(claim.status?.phase, 'Bound', 'the stolen claim must never bind');
        return ++rounds >= 20;
      },
      'twenty looks at the stolen claim',
      30_000,
      500,
    );
    const volume = await get<PersistentVolume>(volumePath(victimVolume));
    assert.equal(volume.spec?.claimRef?.namespace, namespace, 'the volume still belongs to the victim');
    assert.equal(volume.spec?.claimRef?.name, victim);
    const volumes = await get<{ items: PersistentVolume[] }>('/api/v1/persistentvolumes');
    assert.ok(
      !volumes.items.some((candidate) => candidate.spec?.claimRef?.namespace === team),
      'no volume was made for the stolen claim',
    );
    // Nor can the member make a volume of their own pointing anywhere on this machine.
    const own = await http.send({
      method: 'POST',
      path: '/api/v1/persistentvolumes',
      headers: asMember,
      body: {
        metadata: { name: `${team}-root` },
        spec: {
          capacity: { storage: '1Gi' },
          accessModes: ['ReadWriteOnce'],
          hostPath: { path: '/' },
          storageClassName: localStorageClassName,
        },
      },
    });
    assert.equal(own.status, 403);
    await http.request({ method: 'DELETE', path: stolen });
  });
});
