/** Multipliers of the Kubernetes quantity suffixes, in thousandths of a unit (so "500m" is exact). */
const suffixMilli: Record<string, bigint> = {
  m: 1n,
  '': 1000n,
  k: 1000n ** 2n,
  M: 1000n ** 3n,
  G: 1000n ** 4n,
  T: 1000n ** 5n,
  P: 1000n ** 6n,
  E: 1000n ** 7n,
  Ki: 1024n * 1000n,
  Mi: 1024n ** 2n * 1000n,
  Gi: 1024n ** 3n * 1000n,
  Ti: 1024n ** 4n * 1000n,
  Pi: 1024n ** 5n * 1000n,
  Ei: 1024n ** 6n * 1000n,
};

/** Largest first, binary before decimal: the suffixes a formatted quantity may use. */
const formatOrder = ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki', 'E', 'P', 'T', 'G', 'M', 'k', ''];

/** Parses a quantity such as 40, 1.5, 500m or 80Gi into thousandths of a unit. */
export function parseQuantity(quantity: string): bigint {
  // The CRD's pattern admits a bare fraction (.5), as Kubernetes does.
  const match = quantity.match(/^(\d*)(?:\.(\d+))?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/);
  if (!match || (!match[1] && !match[2]))
    throw new Error(`"${quantity}" is not a Kubernetes quantity (such as 40, 500m or 80Gi)`);
  const [, whole, fraction = '', suffix = ''] = match;
  const multiplier = suffixMilli[suffix] ?? 1000n;
  const scale = 10n ** BigInt(fraction.length);
  return ((BigInt(whole || '0') * scale + BigInt(fraction || '0')) * multiplier) / scale;
}

/** Formats thousandths of a unit with the largest suffix that keeps it exact: 2000 -> "2", 1500 -> "1500m". */
export function formatQuantity(milli: bigint): string {
  if (milli === 0n) return '0';
  for (const suffix of formatOrder) {
    const multiplier = suffixMilli[suffix] ?? 1000n;
    if (milli % multiplier === 0n) return `${milli / multiplier}${suffix}`;
  }
  return `${milli}m`;
}

/** The quantity times a whole factor: limits are twice the requested quota. */
export function multiplyQuantity(quantity: string, factor: number): string {
  return formatQuantity(parseQuantity(quantity) * BigInt(factor));
}

/** The quantity shared out between parts, rounded down so the parts never add up to more than the whole. */
export function divideQuantity(quantity: string, parts: number): string {
  return formatQuantity(parseQuantity(quantity) / BigInt(parts));
}
