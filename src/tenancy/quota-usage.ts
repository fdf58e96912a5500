import { parseQuantity } from './quantity.ts';

/** What of a ResourceQuota the sum reads: its hard limits and its usage. */
interface QuotaStatus {
  status?: { hard?: Record<string, string>; used?: Record<string, string> };
}

/** One resource's total over a tenant's namespaces: its hard limit or its usage, in plain units. */
export interface QuotaTotal {
  resource: string;
  type: 'hard' | 'used';
  value: number;
}

/** Sums a tenant's ResourceQuotas (one per namespace) into hard and used per resource, in plain units. */
export function sumQuotas(quotas: readonly object[]): QuotaTotal[] {
  const totals = new Map<string, bigint>();
  for (const quota of quotas as QuotaStatus[]) {
    for (const type of ['hard', 'used'] as const) {
      for (const [resource, quantity] of Object.entries(quota.status?.[type] ?? {})) {
        const key = `${resource}\u0000${type}`;
        const milli = parseQuantitySafely(quantity);
        if (milli !== undefined) totals.set(key, (totals.get(key) ?? 0n) + milli);
      }
    }
  }
  return [...totals].map(([key, milli]) => {
    const [resource = '', type] = key.split('\u0000');
    return { resource, type: type as 'hard' | 'used', value: Number(milli) / 1000 };
  });
}

/** Quantities in exponent form (1e3) are not ours to chart; they are skipped rather than failing the reconcile. */
function parseQuantitySafely(quantity: string): bigint | undefined {
  try {
    return parseQuantity(quantity);
  } catch {
    return undefined;
  }
}
