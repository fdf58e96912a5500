import type { FieldProblem, HousesAnswer, SessionInfo, SpecSchema } from './api.ts';

/** The request form's values, as typed. */
export interface RequestFormValues {
  teamName: string;
  ownerEmail: string;
  costCenter: string;
  adGroup: string;
  isolation: string;
  /** A house's Kubernetes minor (sent only with isolation vcluster). */
  kubernetesVersion: string;
  cpu: string;
  memory: string;
  storage: string;
  dedicatedNodes: boolean;
  nodePoolSize: string;
  instanceType: string;
  services: Record<string, boolean>;
}

/** What the parts of the form share: the values, how to change them, and the problems to show. */
export interface FormKit {
  values: RequestFormValues;
  set: <K extends keyof RequestFormValues>(key: K, value: RequestFormValues[K]) => void;
  touch: (key: string) => void;
  shown: (key: string) => string | undefined;
}

/** Where a new form starts on what the CRD leaves to the requester (it has no defaults for them). */
const suggested = { cpu: '4', memory: '8Gi', storage: '100Gi', nodePoolSize: '3' };

/**
 * A new form: the user's email and first group, the CRD's defaults (from the schema the portal serves), and the
 * platform's default Kubernetes version for a house (when it offers houses).
 */
export function initialValues(session: SessionInfo, spec: SpecSchema, houses?: HousesAnswer): RequestFormValues {
  const services = spec.properties?.services?.properties ?? {};
  return {
    teamName: '',
    ownerEmail: session.user.email,
    costCenter: '',
    adGroup: session.user.groups[0] ?? '',
    isolation: String(defaultOf(spec, 'isolation') ?? ''),
    kubernetesVersion: houses?.defaultKubernetesVersion ?? '',
    cpu: suggested.cpu,
    memory: suggested.memory,
    storage: suggested.storage,
    dedicatedNodes: false,
    nodePoolSize: suggested.nodePoolSize,
    instanceType: String(defaultOf(spec, 'nodePool', 'instanceType') ?? ''),
    services: Object.fromEntries(Object.entries(services).map(([name, service]) => [name, service.default === true])),
  };
}

/** The isolations the form offers: the CRD's, less vcluster when the platform offers no houses (or cannot say). */
export function isolationOptions(spec: SpecSchema, houses?: HousesAnswer): string[] {
  const all = (spec.properties?.isolation?.enum ?? []).map(String);
  return houses?.enabled ? all : all.filter((isolation) => isolation !== 'vcluster');
}

/** Whether the form asks what a house needs (its Kubernetes version) instead of a namespace tenant's fields. */
export const isHouse = (values: RequestFormValues) => values.isolation === 'vcluster';

/** The default the CRD gives a field of the spec, by its path. */
function defaultOf(spec: SpecSchema, ...path: string[]): unknown {
  return path.reduce<SpecSchema | undefined>((schema, name) => schema?.properties?.[name], spec)?.default;
}

/** The API body: the Tenant spec exactly as the CRD names it; empty fields are sent empty, to be named. */
export function requestBody(values: RequestFormValues) {
  return {
    spec: {
      teamName: values.teamName,
      ownerEmail: values.ownerEmail,
      costCenter: values.costCenter,
      adGroup: values.adGroup,
      isolation: values.isolation,
      // A house only: the CRD refuses a version on a namespace tenant (and additionalNamespaces on a house).
      ...(isHouse(values) ? { kubernetesVersion: values.kubernetesVersion } : {}),
      resourceQuota: { cpu: values.cpu, memory: values.memory, storage: values.storage },
      ...(values.dedicatedNodes
        ? { nodePool: { size: nodeCount(values.nodePoolSize), instanceType: values.instanceType } }
        : {}),
      services: values.services,
    },
  };
}

/** Which input shows the problem of an API field path. */
const inputOfPath: Record<string, keyof RequestFormValues> = {
  name: 'teamName',
  'spec.teamName': 'teamName',
  'spec.ownerEmail': 'ownerEmail',
  'spec.costCenter': 'costCenter',
  'spec.adGroup': 'adGroup',
  'spec.isolation': 'isolation',
  'spec.kubernetesVersion': 'kubernetesVersion',
  'spec.resourceQuota.cpu': 'cpu',
  'spec.resourceQuota.memory': 'memory',
  'spec.resourceQuota.storage': 'storage',
  'spec.nodePool.size': 'nodePoolSize',
  'spec.nodePool.instanceType': 'instanceType',
};

/** The problems by input; those no input shows go under `form`. */
export function problemsByInput(fields: FieldProblem[]): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const field of fields) {
    const input = inputOfPath[field.path] ?? (field.path.startsWith('spec.services') ? 'services' : 'form');
    problems[input] = problems[input] ? `${problems[input]}; ${field.message}` : field.message;
  }
  return problems;
}

/** A refused request's problems: each under its input, and for the banner how many and what no input shows. */
export function refusalProblems(fields: FieldProblem[], message: string): Record<string, string> {
  const { form: elsewhere, ...below } = problemsByInput(fields);
  const count = Object.keys(below).length;
  const summary = count === 0 ? '' : `${count} ${count === 1 ? 'field below needs' : 'fields below need'} a change.`;
  return { ...below, form: [summary, elsewhere].filter(Boolean).join(' ') || message };
}

/** A typed number as a number; anything else as typed, for the API to name it. */
const nodeCount = (typed: string) => (/^\s*-?\d+\s*$/.test(typed) ? Number(typed) : typed);
