import type { PlatformConfig } from '../api/platform-config.ts';
import { apiPath } from '../kube/api-path.ts';
import { applyObject } from '../kube/apply.ts';
import type { Discovery } from '../kube/discovery.ts';
import type { KubeHttp } from '../kube/http.ts';
import { resources } from '../kube/resources.ts';
import { buildAdmissionSettings } from '../platform/admission-settings.ts';
import { buildGuardrailBindings } from '../platform/guardrails.ts';
import { buildPlatformNetworkPolicies, platformNamespaces } from '../platform/platform-network.ts';

/**
 * Creates the platform namespaces that are missing, applies their network policies, the settings the
 * admission policies read and the guardrails' bindings (idempotent).
 */
export async function applyPlatformNetwork(http: KubeHttp, discovery: Discovery, platform: PlatformConfig) {
  for (const { name } of platformNamespaces(platform)) {
    const { status } = await http.send({ method: 'GET', path: apiPath(resources.namespace, { name }) });
    if (status === 404)
      await http.request({ method: 'POST', path: apiPath(resources.namespace), body: { metadata: { name } } });
  }
  for (const policy of buildPlatformNetworkPolicies(platform)) await applyObject(http, discovery, policy);
  await applyObject(http, discovery, buildAdmissionSettings(platform));
  // After the settings they read: a binding whose parameters are missing refuses everything it judges.
  for (const binding of buildGuardrailBindings(platform)) await applyObject(http, discovery, binding);
}
