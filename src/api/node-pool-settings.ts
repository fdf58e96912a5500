/** How dedicated node pools work on this platform: one section of the platform configuration. */
export interface NodePoolSettings {
  /** Where dedicated nodes come from: `spare-pool`, idle machines marked as spare (the one provider so far). */
  provider: 'spare-pool';
  /** Label holding a node's instance type (standard, compute-optimized, memory-optimized). */
  instanceTypeLabel: string;
  /**
   * Landlord's ownership: the Tenant holding the node. Under `node-restriction.kubernetes.io/`, which a node's own
   * kubelet cannot set, so no node claims itself for a tenant.
   */
  ownerLabel: string;
  /** The label a pool's pods are pinned to (value: the team); under `node-restriction.kubernetes.io/` too. */
  placementLabel: string;
  /** Plain labels set to the team for people (the article's `nodepool` and `tenant`); never used for placement. */
  displayLabels: string[];
  /** Key of a dedicated node's taint: `<taintKey>=<team>:NoSchedule` (the article's `dedicated`). */
  taintKey: string;
  /**
   * How the spare-pool provider knows its machines: `label` is `value` (and a NoSchedule taint `label=value`) on an
   * idle one, `claimedValue` on one a tenant holds.
   */
  spare: { label: string; value: string; claimedValue: string };
  /** Seconds a NotReady node still counts as the tenant's before it is replaced from the spare pool. */
  notReadySeconds: number;
  /** Seconds a drain may take before status reports it stuck; a drain is never forced. */
  drainTimeoutSeconds: number;
}

/** The prefix of node labels no kubelet may set on its own Node (the NodeRestriction admission plugin). */
export const kubeletProofPrefix = 'node-restriction.kubernetes.io/';

/** The article's labels and taint, with the placement and ownership labels out of a kubelet's reach. */
export const defaultNodePoolSettings: NodePoolSettings = {
  provider: 'spare-pool',
  instanceTypeLabel: 'node.kubernetes.io/instance-type',
  ownerLabel: `${kubeletProofPrefix}landlord-tenant`,
  placementLabel: `${kubeletProofPrefix}nodepool`,
  displayLabels: ['nodepool', 'tenant'],
  taintKey: 'dedicated',
  spare: { label: 'landlord.dev/node-pool', value: 'spare', claimedValue: 'dedicated' },
  notReadySeconds: 300,
  drainTimeoutSeconds: 600,
};

/** A qualified name: letters, digits, '-', '_', '.'; starting and ending with a letter or digit; 63 at most. */
const qualifiedName = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
/** A DNS subdomain, the optional prefix of a label key. */
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why a string is not a label (or taint) key, in words; undefined when it is one. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const [prefix, name] = slash < 0 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
  if (prefix !== undefined && (prefix.length > 253 || !dnsSubdomain.test(prefix)))
    return 'has a prefix that is not a DNS subdomain (lower case letters, digits, "-" and ".")';
  if (!qualifiedName.test(name))
    return 'is not a label key (a name of letters, digits, "-", "_" and "." of at most 63 characters, optionally after a DNS prefix and "/")';
  return undefined;
}

/** Checks the node pool settings, naming the field, the value and what is allowed. */
export function checkNodePoolSettings(settings: NodePoolSettings, problem: (message: string) => Error): void {
  if (settings.provider !== 'spare-pool')
    throw problem(`nodePools.provider: "${settings.provider}" is not allowed; use spare-pool`);
  checkKeys(settings, problem);
  checkSpareValues(settings, problem);
  for (const [field, seconds] of [
    ['nodePools.notReadySeconds', settings.notReadySeconds],
    ['nodePools.drainTimeoutSeconds', settings.drainTimeoutSeconds],
  ] as const) {
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86_400)
      throw problem(`${field}: ${seconds} is not allowed; use a whole number of seconds from 1 to 86400`);
  }
}

/** Every key a label key, all different, ownership and placement out of a kubelet's reach. */
function checkKeys(settings: NodePoolSettings, problem: (message: string) => Error): void {
  const keys: [string, string][] = [
    ['nodePools.instanceTypeLabel', settings.instanceTypeLabel],
    ['nodePools.ownerLabel', settings.ownerLabel],
    ['nodePools.placementLabel', settings.placementLabel],
    ['nodePools.taintKey', settings.taintKey],
    ['nodePools.spare.label', settings.spare.label],
    ...settings.displayLabels.map((key, index): [string, string] => [`nodePools.displayLabels[${index}]`, key]),
  ];
  for (const [field, key] of keys) {
    const why = typeof key === 'string' ? labelKeyProblem(key) : 'is not a string';
    if (why) throw problem(`${field}: ${JSON.stringify(key)} ${why}`);
  }
  for (const [field, key] of [
    ['nodePools.ownerLabel', settings.ownerLabel],
    ['nodePools.placementLabel', settings.placementLabel],
  ] as const) {
    if (!isKubeletProof(key))
      throw problem(
        `${field}: "${key}" must start with ${kubeletProofPrefix} (a kubelet cannot set such a label on its own node, so no node claims itself into a pool)`,
      );
  }
  if (new Set(keys.map(([, key]) => key)).size !== keys.length)
    throw problem(
      'nodePools: the label keys (instanceTypeLabel, ownerLabel, placementLabel, spare.label, displayLabels) must all differ',
    );
}

/** Whether the NodeRestriction admission plugin keeps kubelets from setting the label: its prefix or a subdomain of it. */
function isKubeletProof(key: string): boolean {
  const prefix = key.split('/')[0] ?? '';
  return (
    key.startsWith(kubeletProofPrefix) || (key.includes('/') && prefix.endsWith(`.${kubeletProofPrefix.slice(0, -1)}`))
  );
}

function checkSpareValues(settings: NodePoolSettings, problem: (message: string) => Error): void {
  for (const [field, value] of [
    ['nodePools.spare.value', settings.spare.value],
    ['nodePools.spare.claimedValue', settings.spare.claimedValue],
  ] as const) {
    if (!qualifiedName.test(value)) throw problem(`${field}: ${JSON.stringify(value)} is not a label value`);
  }
  if (settings.spare.value === settings.spare.claimedValue)
    throw problem('nodePools.spare: value and claimedValue must differ (an idle node must be told from a claimed one)');
}
