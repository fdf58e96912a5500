// KWOK plays every kubelet of the local cluster through "stages": when an object matches a stage's selector (jq
// expressions), KWOK applies the stage's next step (a status patch rendered from a Go template, or a delete).
// kwokctl drops ALL of its default stages as soon as its config holds one Stage, so this is the whole set.

/** One selector requirement of a KWOK stage: a jq expression over the object and how its result must look. */
interface StageRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

/** A KWOK Stage (kwok.x-k8s.io/v1alpha1), as kwokctl reads it from its config. */
export interface KwokStage {
  apiVersion: 'kwok.x-k8s.io/v1alpha1';
  kind: 'Stage';
  metadata: { name: string };
  spec: {
    resourceRef: { apiGroup: 'v1'; kind: 'Node' | 'Pod' };
    selector: { matchExpressions: StageRequirement[] };
    delay?: { durationMilliseconds: number; jitterDurationMilliseconds: number };
    next: { patches?: { subresource: 'status'; root: 'status'; template: string }[]; delete?: boolean };
  };
}

function stage(
  name: string,
  kind: 'Node' | 'Pod',
  matchExpressions: StageRequirement[],
  next: KwokStage['spec']['next'],
  delay?: KwokStage['spec']['delay'],
): KwokStage {
  return {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'Stage',
    metadata: { name },
    spec: { resourceRef: { apiGroup: 'v1', kind }, selector: { matchExpressions }, ...(delay && { delay }), next },
  };
}

/** A status patch: the template renders the object's new status (merged into the old one). */
function statusPatch(template: string): KwokStage['spec']['next'] {
  return { patches: [{ subresource: 'status', root: 'status', template }] };
}

const notDeleted: StageRequirement = { key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' };
/** A pod not being deleted, in this phase, meeting the other requirements too. */
const livePodIn = (phase: string, ...more: StageRequirement[]): StageRequirement[] => [
  notDeleted,
  { key: '.status.phase', operator: 'In', values: [phase] },
  ...more,
];
const readyCondition = '.status.conditions.[] | select( .type == "Ready" ) | .status';

// The node's conditions (KWOK's NodeConditions: Ready, no pressure), heartbeat now, transition at creation.
const nodeConditions = `{{ $now := Now }}
{{ $since := or .metadata.creationTimestamp $now }}
conditions:
{{ range NodeConditions }}
- type: {{ .type | Quote }}
  status: {{ .status | Quote }}
  reason: {{ .reason | Quote }}
  message: {{ .message | Quote }}
  lastHeartbeatTime: {{ $now | Quote }}
  lastTransitionTime: {{ $since | Quote }}
{{ end }}
{{ with NodePort }}
daemonEndpoints:
  kubeletEndpoint:
    Port: {{ . }}
{{ end }}
`;

// Addresses the node lacks (KWOK's NodeIP and the node's name); capacity as created, else effectively unlimited.
const nodeInitialTemplate = `${nodeConditions}
{{ $internalIP := false }}
{{ $hostname := false }}
{{ range .status.addresses }}
{{ if eq .type "InternalIP" }}{{ $internalIP = true }}{{ end }}
{{ if eq .type "Hostname" }}{{ $hostname = true }}{{ end }}
{{ end }}
{{ if not (and $internalIP $hostname) }}
addresses:
{{ range .status.addresses }}
- {{ toJson . }}
{{ end }}
{{ if not $internalIP }}{{ with NodeIP }}
- address: {{ . | Quote }}
  type: InternalIP
{{ end }}{{ end }}
{{ if not $hostname }}{{ with NodeName }}
- address: {{ . | Quote }}
  type: Hostname
{{ end }}{{ end }}
{{ end }}
capacity: {{ or .status.capacity (dict "cpu" "1k" "memory" "1Ti" "pods" "1M") | toJson }}
allocatable: {{ or .status.allocatable .status.capacity (dict "cpu" "1k" "memory" "1Ti" "pods" "1M") | toJson }}
{{ $info := or .status.nodeInfo dict }}
{{ $kwok := printf "kwok-%s" Version }}
nodeInfo:
  architecture: {{ or $info.architecture "amd64" | Quote }}
  operatingSystem: {{ or $info.operatingSystem "linux" | Quote }}
  kubeletVersion: {{ or $info.kubeletVersion $kwok | Quote }}
  kubeProxyVersion: {{ or $info.kubeProxyVersion $kwok | Quote }}
  kernelVersion: {{ or $info.kernelVersion $kwok | Quote }}
  containerRuntimeVersion: {{ or $info.containerRuntimeVersion $kwok | Quote }}
  osImage: {{ or $info.osImage "" | Quote }}
  machineID: {{ or $info.machineID "" | Quote }}
  systemUUID: {{ or $info.systemUUID "" | Quote }}
  bootID: {{ or $info.bootID "" | Quote }}
phase: Running
`;

// What a kubelet (1.35+) reports of a container's resources: requests and limits as applied, requests as allocated.
// Without it the API server refuses any in-place resize of a running pod (it takes the node for one that cannot).
const containerResources = `{{ $resources := or .resources dict }}
  resources: {{ pick $resources "requests" "limits" | toJson }}
  {{ with $resources.requests }}
  allocatedResources: {{ toJson . }}
  {{ end }}`;

// Every container running and ready; init containers done, sidecars (restartPolicy Always) running; the readiness
// gates' conditions true; IPs from KWOK's per-node pools.
const podReadyTemplate = `{{ $now := Now }}
phase: Running
startTime: {{ $now | Quote }}
conditions:
{{ range list "PodReadyToStartContainers" "Initialized" "ContainersReady" "Ready" }}
- type: {{ . | Quote }}
  status: "True"
  lastTransitionTime: {{ $now | Quote }}
{{ end }}
{{ range .spec.readinessGates }}
- type: {{ .conditionType | Quote }}
  status: "True"
  lastTransitionTime: {{ $now | Quote }}
{{ end }}
containerStatuses:
{{ range .spec.containers }}
- name: {{ .name | Quote }}
  image: {{ .image | Quote }}
  ready: true
  started: true
  restartCount: 0
  state:
    running:
      startedAt: {{ $now | Quote }}
  ${containerResources}
{{ end }}
initContainerStatuses:
{{ range .spec.initContainers }}
- name: {{ .name | Quote }}
  image: {{ .image | Quote }}
  restartCount: 0
  {{ if eq (or .restartPolicy "") "Always" }}
  ready: true
  started: true
  state:
    running:
      startedAt: {{ $now | Quote }}
  ${containerResources}
  {{ else }}
  ready: true
  started: false
  state:
    terminated:
      exitCode: 0
      reason: Completed
      startedAt: {{ $now | Quote }}
      finishedAt: {{ $now | Quote }}
  {{ end }}
{{ end }}
{{ with NodeIPsWith .spec.nodeName }}
hostIP: {{ index . 0 | Quote }}
hostIPs:
{{ range . }}
- ip: {{ . | Quote }}
{{ end }}
{{ end }}
{{ with PodIPsWith .spec.nodeName (or .spec.hostNetwork false) (or .metadata.uid "") (or .metadata.name "") (or .metadata.namespace "") }}
podIP: {{ index . 0 | Quote }}
podIPs:
{{ range . }}
- ip: {{ . | Quote }}
{{ end }}
{{ end }}
`;

// A running pod's conditions as pod-ready reports them, PodScheduled included: nothing else of its status changes.
const podConditionsTemplate = `{{ $now := Now }}
conditions:
{{ range list "PodScheduled" "PodReadyToStartContainers" "Initialized" "ContainersReady" "Ready" }}
- type: {{ . | Quote }}
  status: "True"
  lastTransitionTime: {{ $now | Quote }}
{{ end }}
{{ range .spec.readinessGates }}
- type: {{ .conditionType | Quote }}
  status: "True"
  lastTransitionTime: {{ $now | Quote }}
{{ end }}
`;

// Each container's reported resources and the spec's, by name, for comparison: what a resize changes.
const specResources = '[.spec.containers[]? | {name, r: ((.resources // {}) | {requests, limits})}] | sort_by(.name)';
const reportedResources =
  '[.status.containerStatuses[]? | {name, r: ((.resources // {}) | {requests, limits})}] | sort_by(.name)';

// Each container's status as it was, with the resources of its spec: the kubelet has applied the resize.
const podResizedTemplate = `{{ $spec := .spec }}
containerStatuses:
{{ range .status.containerStatuses }}
{{ $status := omit . "resources" "allocatedResources" }}
{{ $name := .name }}
{{ range $spec.containers }}
{{ if eq .name $name }}
{{ $resources := or .resources dict }}
{{ $_ := set $status "resources" (pick $resources "requests" "limits") }}
{{ with $resources.requests }}{{ $_ := set $status "allocatedResources" . }}{{ end }}
{{ end }}
{{ end }}
- {{ toJson $status }}
{{ end }}
`;

// A Job's pod: every container exited 0, as they had been running.
const podCompleteTemplate = `{{ $now := Now }}
phase: Succeeded
containerStatuses:
{{ range .status.containerStatuses }}
{{ $status := omit . "state" }}
{{ $started := dig "state" "running" "startedAt" $now . }}
{{ $_ := set $status "ready" false }}
{{ $_ := set $status "started" false }}
{{ $_ := set $status "state" (dict "terminated" (dict "exitCode" 0 "reason" "Completed" "startedAt" $started "finishedAt" $now)) }}
- {{ toJson $status }}
{{ end }}
`;

/**
 * The stages of the local cluster's simulated kubelets: nodes become Ready and report again every few minutes
 * (KWOK renews their leases itself); pods run with each container's resources reported, follow an in-place resize,
 * complete when a Job owns them and go when deleted. Nodes annotated `landlord.dev/kubelet-stopped=true` are
 * left alone by the KWOK controller's flag, not here.
 */
export function kwokStages(): KwokStage[] {
  return [
    // A new node (or one whose Ready condition is not True) gets conditions, addresses, capacity and info.
    stage(
      'node-initialize',
      'Node',
      [{ key: readyCondition, operator: 'NotIn', values: ['True'] }],
      statusPatch(nodeInitialTemplate),
    ),
    // A kubelet with node leases still posts its status every 5 minutes; the lease itself is KWOK's.
    stage(
      'node-heartbeat-with-lease',
      'Node',
      [
        { key: '.status.phase', operator: 'In', values: ['Running'] },
        { key: readyCondition, operator: 'In', values: ['True'] },
      ],
      statusPatch(nodeConditions),
      { durationMilliseconds: 300_000, jitterDurationMilliseconds: 330_000 },
    ),
    // A scheduled pod that is not ready yet starts at once.
    stage(
      'pod-ready',
      'Pod',
      livePodIn('Pending', { key: readyCondition, operator: 'NotIn', values: ['True'] }),
      statusPatch(podReadyTemplate),
    ),
    // A running pod whose Ready condition was lost (a writer replaced the conditions with an older list, seen once
    // in a house's synced pod) gets them back: a kubelet's status manager keeps re-asserting what it knows.
    stage(
      'pod-conditions-restored',
      'Pod',
      livePodIn('Running', { key: readyCondition, operator: 'NotIn', values: ['True'] }),
      statusPatch(podConditionsTemplate),
    ),
    // A running pod whose spec's resources changed (an accepted resize) reports the new ones, as a kubelet does.
    stage(
      'pod-resized',
      'Pod',
      livePodIn('Running', { key: `(${specResources}) != (${reportedResources})`, operator: 'In', values: ['true'] }),
      statusPatch(podResizedTemplate),
    ),
    // A Job's running pod has done its work.
    stage(
      'pod-complete',
      'Pod',
      livePodIn('Running', { key: '.metadata.ownerReferences.[].kind', operator: 'In', values: ['Job'] }),
      statusPatch(podCompleteTemplate),
    ),
    // A pod being deleted is gone once its containers would have stopped: at once.
    stage('pod-delete', 'Pod', [{ key: '.metadata.deletionTimestamp', operator: 'Exists' }], { delete: true }),
  ];
}
