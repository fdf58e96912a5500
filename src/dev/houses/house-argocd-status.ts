import type { HouseArgoCdState } from './house-argocd.ts';

/** `landlord dev status`'s lines for a house's own Argo CD: its phase and URL, then each process and its pid. */
export function houseArgoCdLines(argocd: HouseArgoCdState | undefined): string[] {
  if (!argocd || argocd.phase === 'Absent') return [];
  const head = `      argocd: ${argocd.phase}${argocd.url ? ` at ${argocd.url}` : ''}${argocd.message ? ` (${argocd.message.split('\n')[0]})` : ''}`;
  const processes = argocd.processes.map(
    (process) =>
      `        ${process.name}: ${process.pid ? `running (pid ${process.pid})` : 'stopped'}, ${process.restarts} restarts`,
  );
  return [head, ...processes];
}
