import type { FieldProblem, SessionInfo } from './api.ts';

/** The request form's values, as typed. */
export interface RequestFormValues {
  teamName: string;
  ownerEmail: string;
  costCenter: string;
  adGroup: string;
  isolation: string;
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

/** A new form: the user's email and first group, the schema's defaults. */
export function initialValues(session: SessionInfo): RequestFormValues {
  return {
    teamName: '',
    ownerEmail: session.user.email,
    costCenter: '',
    adGroup: session.user.groups[0] ?? '',
    isolation: 'namespace',
    cpu: '4',
    memory: '8Gi',
    storage: '100Gi',
    dedicatedNodes: false,
    nodePoolSize: '3',
    instanceType: 'standard',
    services: { argocd: true, monitoring: true, vault: false, istio: false },
  };
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

/** A typed number as a number; anything else as typed, for the API to name it. */
const nodeCount = (typed: string) => (/^\s*-?\d+\s*$/.test(typed) ? Number(typed) : typed);
