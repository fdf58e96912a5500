/** What a repository's description says when Landlord made it; the marker follows it verbatim. */
const markerPrefix = 'Managed by Landlord: ';

/** The description a new repository carries its marker in: `Managed by Landlord: <marker>`. */
export function markedDescription(marker: string): string {
  if (marker.length === 0 || /[\r\n]/.test(marker)) {
    throw new Error(`repository marker ${JSON.stringify(marker)}: must be one non-empty line`);
  }
  return `${markerPrefix}${marker}`;
}

/** The marker a description carries, exactly as it was written; undefined when Landlord did not write it. */
export function markerOf(description: string | undefined): string | undefined {
  if (!description?.startsWith(markerPrefix)) return undefined;
  const marker = description.slice(markerPrefix.length);
  return marker.length > 0 && !/[\r\n]/.test(marker) ? marker : undefined;
}
