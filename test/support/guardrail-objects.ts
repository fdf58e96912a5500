// What the guardrail tests try to create: a tenant's Services, pods and Ingresses, attacks and legitimate ones.
import type { LooseDocument } from '../fixtures/tenants.ts';
import { restrictedDeployment } from './argocd.ts';

/** A Service of the given spec, selecting app=web on port 80. */
export const service = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: { selector: { app: 'web' }, ports: [{ port: 80 }], ...spec },
});

/** A Deployment passing the restricted Pod Security level, its pod spec changed by `change`. */
export function deployment(name: string, change: (pod: LooseDocument) => void = () => {}) {
  const object = restrictedDeployment(name);
  change(object.spec.template.spec);
  return object;
}

/** A bare Pod of the given spec (one container of an allowed image unless the spec says otherwise). */
export const pod = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'app', image: 'registry.financecore.local/app:1' }], ...spec },
});

/** An Ingress routing the hosts to Service web, with the annotations given. */
export const ingress = (name: string, hosts: string[], annotations: Record<string, string> = {}) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, annotations },
  spec: {
    rules: hosts.map((host) => ({
      ...(host ? { host } : {}),
      http: {
        paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }],
      },
    })),
  },
});
