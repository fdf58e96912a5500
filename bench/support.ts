// Helpers the benchmarks share.

/** Waits until the condition holds, or fails the benchmark naming what it waited for. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string | (() => string) = 'a condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(
        `benchmark timed out after ${timeoutMs / 1000} s waiting for ${typeof what === 'string' ? what : what()}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs the action on every item, `size` at a time. */
export async function inBatches<T>(items: T[], size: number, action: (item: T) => Promise<void>): Promise<void> {
  for (let index = 0; index < items.length; index += size)
    await Promise.all(items.slice(index, index + size).map(action));
}

/** p50 / p95 / p99 of samples in milliseconds. */
export function percentiles(samples: number[], decimals = 0): string {
  const sorted = samples.toSorted((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return [50, 95, 99].map((p) => `${at(p).toFixed(decimals)} ms`).join(' / ');
}
