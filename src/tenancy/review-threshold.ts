import type { PlatformConfig } from '../api/platform-config.ts';
import type { TenantSpec } from '../api/tenant.ts';
import { parseQuantity } from './quantity.ts';

/**
 * Why a request needs a platform admin's review before it reaches the platform repository's main branch: each
 * resource it asks above the platform's review threshold, or nothing when it may go straight in.
 */
export function reviewReasons(spec: TenantSpec, platform: PlatformConfig): string[] {
  const threshold = platform.reviewThreshold;
  const reasons: string[] = [];
  for (const resource of ['cpu', 'memory', 'storage'] as const) {
    if (parseQuantity(spec.resourceQuota[resource]) > parseQuantity(threshold[resource])) {
      reasons.push(
        `spec.resourceQuota.${resource}: ${spec.resourceQuota[resource]} is above the review threshold of ${threshold[resource]}`,
      );
    }
  }
  const nodes = spec.nodePool?.size ?? 0;
  if (nodes > threshold.nodePoolNodes) {
    reasons.push(`spec.nodePool.size: ${nodes} node(s) is above the review threshold of ${threshold.nodePoolNodes}`);
  }
  return reasons;
}
