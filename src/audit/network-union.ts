import { type LabelSelector, matchesSelector, selectsEverything } from './label-selector.ts';
import { futureNamespaceProbe } from './options.ts';

/** Which way traffic goes, as NetworkPolicy policyTypes name it (lower case). */
export type Direction = 'ingress' | 'egress';

/** A port of a NetworkPolicy rule: a number or a named port, optionally a range up to endPort. */
export interface PolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}

interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

interface PolicyRule {
  from?: PolicyPeer[];
  to?: PolicyPeer[];
  ports?: PolicyPort[];
}

/** The spec of a networking.k8s.io/v1 NetworkPolicy. */
export interface NetworkPolicySpec {
  podSelector?: LabelSelector;
  policyTypes?: string[];
  ingress?: PolicyRule[];
  egress?: PolicyRule[];
}

/** A NetworkPolicy of the namespace: its name and spec. */
export interface PolicyInput {
  name: string;
  spec: NetworkPolicySpec;
}

/** A namespace of the cluster with its labels, which namespaceSelectors are matched against. */
export interface NamespaceLabels {
  name: string;
  labels: Record<string, string>;
}

/** Where a rule lets traffic come from (ingress) or go to (egress). */
export type Reach =
  | { kind: 'everything' }
  | { kind: 'any-namespace'; pods: LabelSelector | undefined }
  | { kind: 'namespaces'; namespaces: string[]; pods: LabelSelector | undefined }
  | { kind: 'ip-block'; cidr: string; except: string[] };

/** One peer of one rule of one policy, resolved: what it lets through, to which pods, on which ports. */
export interface Opening {
  policy: string;
  /** The pods of the namespace it opens (the policy's podSelector). */
  pods: LabelSelector | undefined;
  reach: Reach;
  /** The ports it is open on; undefined is every port. */
  ports: PolicyPort[] | undefined;
}

/** A namespace's policies for one direction, taken together as the network plugin does. */
export interface DirectionUnion {
  /** Policies that select every pod for this direction: with them, a pod gets only what some opening allows. */
  isolating: string[];
  /** Everything any policy of this direction allows: traffic passes if ANY opening admits it. */
  openings: Opening[];
}

/** The label the API server sets on every namespace: its own name. */
const nameLabel = 'kubernetes.io/metadata.name';

/**
 * Whether the policy governs the direction. Without policyTypes, as the API server defaults them: Ingress
 * always, Egress when the policy has egress rules.
 */
export function governs(spec: NetworkPolicySpec, direction: Direction): boolean {
  const types = spec.policyTypes?.length
    ? spec.policyTypes
    : ['Ingress', ...((spec.egress ?? []).length ? ['Egress'] : [])];
  return types.includes(direction === 'ingress' ? 'Ingress' : 'Egress');
}

/**
 * The union of the namespace's policies in one direction (Kubernetes semantics): a pod no policy of the
 * direction selects is open; a selected pod admits what any selecting policy's rules admit. Rules are resolved
 * against the namespaces known, and against a namespace created later (a selector that matches it admits any
 * namespace).
 */
export function unionOf(
  namespace: string,
  policies: PolicyInput[],
  namespaces: NamespaceLabels[],
  direction: Direction,
): DirectionUnion {
  const governing = policies.filter((policy) => governs(policy.spec, direction));
  const known = namespaces.map((n) => ({ name: n.name, labels: { ...n.labels, [nameLabel]: n.name } }));
  return {
    isolating: governing.filter((policy) => selectsEverything(policy.spec.podSelector)).map((policy) => policy.name),
    openings: governing.flatMap((policy) =>
      (policy.spec[direction] ?? []).flatMap((rule) =>
        peersOf(rule, direction).map((peer) => ({
          policy: policy.name,
          pods: policy.spec.podSelector,
          reach: peer ? reachOf(peer, namespace, known) : { kind: 'everything' as const },
          ports: rule.ports?.length ? rule.ports : undefined,
        })),
      ),
    ),
  };
}

/** The rule's peers; a rule without any admits everything (one undefined peer stands for it). */
function peersOf(rule: PolicyRule, direction: Direction): (PolicyPeer | undefined)[] {
  const peers = (direction === 'ingress' ? rule.from : rule.to) ?? [];
  return peers.length ? peers : [undefined];
}

function reachOf(peer: PolicyPeer, namespace: string, known: NamespaceLabels[]): Reach {
  if (peer.ipBlock) return { kind: 'ip-block', cidr: peer.ipBlock.cidr, except: peer.ipBlock.except ?? [] };
  if (!peer.namespaceSelector) return { kind: 'namespaces', namespaces: [namespace], pods: peer.podSelector };
  const selector = peer.namespaceSelector;
  if (matchesSelector(selector, { [nameLabel]: futureNamespaceProbe }))
    return { kind: 'any-namespace', pods: peer.podSelector };
  const matched = known.filter((n) => matchesSelector(selector, n.labels)).map((n) => n.name);
  return { kind: 'namespaces', namespaces: matched, pods: peer.podSelector };
}

/** Whether an opening admits every source or destination, to every pod, on every port: it voids a deny-all. */
export const opensEverything = (opening: Opening): boolean =>
  opening.reach.kind === 'everything' && selectsEverything(opening.pods) && opening.ports === undefined;

/**
 * Whether the direction is denied by default: some policy isolates every pod, and no opening admits everything
 * to every pod (policies add up, so an allow-all beside a deny-all leaves the namespace open).
 */
export function deniesByDefault(union: DirectionUnion): boolean {
  return union.isolating.length > 0 && !union.openings.some(opensEverything);
}

/** Whether the ports are all among the allowed port numbers (no port, a named port or a range is not). */
export function onlyOnPorts(ports: PolicyPort[] | undefined, allowed: number[]): boolean {
  if (!ports) return false;
  return ports.every(
    (p) => typeof p.port === 'number' && allowed.includes(p.port) && (p.endPort === undefined || p.endPort === p.port),
  );
}

/** The ports in words: "every port", or "53/UDP, 8080-8090/TCP". */
export function describePorts(ports: PolicyPort[] | undefined): string {
  if (!ports) return 'every port';
  return ports.map((p) => `${p.port ?? 'any'}${p.endPort ? `-${p.endPort}` : ''}/${p.protocol ?? 'TCP'}`).join(', ');
}

/** Whether a CIDR covers every address (0.0.0.0/0 or ::/0). */
export const coversEveryAddress = (cidr: string): boolean => /\/0$/.test(cidr.trim());
