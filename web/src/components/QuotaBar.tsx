import type { QuotaUsage } from '../api.ts';

/** The quota lines people care about, in the order they read them; the rest is platform bookkeeping. */
const labels: Record<string, string> = {
  'requests.cpu': 'CPU requested',
  'limits.cpu': 'CPU limits',
  'requests.memory': 'Memory requested',
  'limits.memory': 'Memory limits',
  'requests.storage': 'Storage',
  persistentvolumeclaims: 'Volumes',
  pods: 'Pods',
  services: 'Services',
  secrets: 'Secrets',
  configmaps: 'ConfigMaps',
  'requests.ephemeral-storage': 'Scratch space requested',
  'limits.ephemeral-storage': 'Scratch space limits',
};

/** The usage lines to show, in reading order. */
export function shownQuota(quota: QuotaUsage[]): QuotaUsage[] {
  const order = Object.keys(labels);
  return quota
    .filter((usage) => order.includes(usage.resource) && usage.hard > 0)
    .toSorted((a, b) => order.indexOf(a.resource) - order.indexOf(b.resource));
}

/** Plain units as people read them: cores with decimals, bytes in Gi/Ti. */
export function formatAmount(resource: string, value: number): string {
  if (resource.includes('memory') || resource.includes('storage')) {
    const gi = value / 1024 ** 3;
    if (gi >= 1024) return `${trim(gi / 1024)} Ti`;
    return gi >= 1 || value === 0 ? `${trim(gi)} Gi` : `${trim(value / 1024 ** 2)} Mi`;
  }
  return trim(value);
}

/** At most two decimals, none when whole. */
const trim = (value: number) => String(Math.round(value * 100) / 100);

/** One quota line: a <meter> (no inline styles, so the strict CSP holds) and the figures in words. */
export function QuotaBar({ usage }: { usage: QuotaUsage }) {
  const label = labels[usage.resource] ?? usage.resource;
  const id = `quota-${usage.resource.replace(/[^a-z0-9]/gi, '-')}`;
  return (
    <div className="quota">
      <label htmlFor={id}>{label}</label>
      <meter id={id} min={0} max={usage.hard || 1} value={usage.used} high={usage.hard * 0.85} optimum={0} />
      <span className="figures">
        {formatAmount(usage.resource, usage.used)} of {formatAmount(usage.resource, usage.hard)}
      </span>
    </div>
  );
}
