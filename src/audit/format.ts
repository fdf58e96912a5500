import type { Finding } from './finding.ts';

/** Findings as a table for people: one row per finding, the message and the fix under it. */
export function formatTable(findings: Finding[]): string {
  if (findings.length === 0) return 'No findings: no tenant can reach another tenant or the cluster.\n';
  const rows = findings.map((f) => [f.severity.toUpperCase(), f.rule, f.object, f.tenant ?? '-']);
  const headers = ['SEVERITY', 'RULE', 'OBJECT', 'TENANT'];
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  const body = findings.flatMap((finding, index) => [
    line(rows[index] ?? []),
    `    ${finding.message}`,
    `    fix: ${finding.fix}`,
  ]);
  const high = findings.filter((f) => f.severity === 'high').length;
  const summary = `${findings.length} finding(s): ${high} high, ${findings.length - high} medium.`;
  return `${[line(headers), ...body, '', summary].join('\n')}\n`;
}

/** Findings as JSON for machines, with counts. */
export function formatJson(findings: Finding[]): string {
  const high = findings.filter((f) => f.severity === 'high').length;
  return `${JSON.stringify({ findings, summary: { total: findings.length, high, medium: findings.length - high } }, null, 2)}\n`;
}
