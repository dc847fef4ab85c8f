import { CODES } from './codes.js';
import type { Diagnostic } from './diagnostic.js';

/** SARIF 2.1.0, for GitHub code scanning and other SARIF viewers. */
export function formatSarif(diagnostics: readonly Diagnostic[], toolVersion: string, uriPrefix = ''): object {
  const used = [...new Set(diagnostics.map((d) => d.code))].sort();
  const level = (s: Diagnostic['severity']) => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');
  const location = (file: string, r: Diagnostic['range']) => ({
    physicalLocation: {
      artifactLocation: { uri: uriPrefix + file },
      region: { startLine: r.start.line, startColumn: r.start.column, endLine: r.end.line, endColumn: r.end.column },
    },
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'herald',
            version: toolVersion,
            rules: used.map((code) => ({
              id: code,
              shortDescription: { text: (CODES as Record<string, { summary: string }>)[code]?.summary ?? code },
              help: { text: `See docs/diagnostics.md#${code}` },
            })),
          },
        },
        results: diagnostics.map((d) => ({
          ruleId: d.code,
          ruleIndex: used.indexOf(d.code),
          level: level(d.severity),
          message: { text: d.hint ? `${d.message} (${d.hint})` : d.message },
          locations: [location(d.file, d.range)],
          ...(d.related?.length ? { relatedLocations: d.related.map((r, i) => ({ id: i, ...location(r.file, r.range), message: { text: r.message } })) } : {}),
        })),
      },
    ],
  };
}
