/** A Kubernetes label selector (metav1.LabelSelector). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Whether the selector is empty: it selects everything. */
export const selectsEverything = (selector: LabelSelector | undefined): boolean =>
  !selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);

/**
 * Whether labels match the selector, as metav1.LabelSelectorAsSelector reads it: every matchLabels pair and
 * every expression must hold. An operator Kubernetes does not know matches nothing (the API server refuses it).
 */
export function matchesSelector(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  const pairs = Object.entries(selector.matchLabels ?? {});
  if (!pairs.every(([key, value]) => labels[key] === value)) return false;
  return (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    const has = Object.hasOwn(labels, key);
    if (operator === 'In') return has && values.includes(labels[key] ?? '');
    if (operator === 'NotIn') return !has || !values.includes(labels[key] ?? '');
    if (operator === 'Exists') return has;
    if (operator === 'DoesNotExist') return !has;
    return false;
  });
}

/** The selector in kubectl's words (`app=web,tier in (a,b)`), or "every pod" for an empty one. */
export function describeSelector(selector: LabelSelector | undefined): string {
  if (selectsEverything(selector)) return 'every pod';
  const pairs = Object.entries(selector?.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  const expressions = (selector?.matchExpressions ?? []).map(({ key, operator, values = [] }) => {
    if (operator === 'Exists') return key;
    if (operator === 'DoesNotExist') return `!${key}`;
    return `${key} ${operator === 'In' ? 'in' : 'notin'} (${values.join(',')})`;
  });
  return `pods matching ${[...pairs, ...expressions].join(',')}`;
}
