/** How `herald archive` and `herald instances` print: times and columns. */

/** An epoch-ms time as the CLI prints it: ISO 8601, whole seconds without `.000`. */
export const isoTime = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** Rows as columns padded to their widest cell, the header first. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return `${[header, ...rows].map(line).join('\n')}\n`;
}
