import { useEffect, useState } from 'react';
import { type FreeNodes, loadFreeNodes } from '../api.ts';

/** Free spare nodes by instance type, loaded once with the form: undefined while loading or when unknown. */
export function useFreeNodes(): FreeNodes[] | undefined {
  const [free, setFree] = useState<FreeNodes[] | undefined>(undefined);
  useEffect(() => {
    // Without the counts the form still works: it only says less.
    loadFreeNodes().then(
      (answer) => setFree(answer.instanceTypes),
      () => setFree(undefined),
    );
  }, []);
  return free;
}

/** "Free now: 7 standard, 7 compute-optimized, 6 memory-optimized." */
export function freeNodesHint(free: FreeNodes[] | undefined): string | undefined {
  if (!free) return undefined;
  return `Free now: ${free.map((entry) => `${entry.free} ${entry.instanceType}`).join(', ')}.`;
}

/** Says so when the pool asked for is larger than what is free of its type: the request waits for nodes. */
export function ShortageWarning(props: { free?: FreeNodes[]; instanceType: string; size: string }) {
  const free = props.free?.find((entry) => entry.instanceType === props.instanceType)?.free;
  const size = Number(props.size);
  if (free === undefined || !Number.isInteger(size) || size <= free) return null;
  return (
    <p className="warning" id="nodePool-shortage" role="status">
      {size} {props.instanceType} nodes asked, {free} free now: the tenant is created, and its pool waits until{' '}
      {size - free} more {size - free === 1 ? 'is' : 'are'} free.
    </p>
  );
}
