/** A tenant's phase, readable without colour: the word is always there. */
export function PhaseBadge({ phase }: { phase: string }) {
  return <span className={`phase phase-${phase.toLowerCase()}`}>{phase}</span>;
}
