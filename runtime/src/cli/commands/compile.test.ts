import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { heraldInProcess as herald } from '../../../../test/helpers/herald-in-process.js';

const example = fileURLToPath(new URL('../../../../examples/invoice-dunning', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'herald-compile-cmd-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('herald compile -o with a machine format', () => {
  it('keeps stderr one JSON document (json) or SARIF log (sarif): the human `wrote` line only in pretty', async () => {
    const out = join(scratch, 'graph.json');
    const json = await herald(['compile', example, '--format', 'json', '-o', out]);
    expect(json.code).toBe(0);
    expect(json.out).toBe('');
    expect(JSON.parse(json.err)).toEqual([]);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ version: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });

    const sarif = await herald(['compile', example, '--format', 'sarif', '-o', out]);
    expect(sarif.code).toBe(0);
    expect(JSON.parse(sarif.err)).toMatchObject({ version: '2.1.0', runs: [{ results: [] }] });

    const pretty = await herald(['compile', example, '-o', out]);
    expect(pretty.err).toMatch(/^wrote \S+graph\.json \(\d+ journeys?, version sha256:[0-9a-f]{12}\)\n$/);
  });

  it('prints diagnostics there as the one document, beside a graph written with warnings', async () => {
    const dir = mkdtempSync(join(scratch, 'warn-'));
    const src = readFileSync(join(example, 'journeys', 'invoice-overdue.journey.yaml'), 'utf8');
    cpSync(example, dir, { recursive: true, filter: (p) => !p.split(/[\\/]/).includes('.herald') });
    // A wait for an event without a timeout is a warning (wait-without-timeout): the graph is still written.
    writeFileSync(
      join(dir, 'journeys', 'invoice-overdue.journey.yaml'),
      src.replace('wait: { event: invoice.paid, match: "event.invoiceId == trigger.invoiceId", timeout: 7d }\n    onEvent: thank-you\n    onTimeout: second-notice', 'wait: { event: invoice.paid, match: "event.invoiceId == trigger.invoiceId" }\n    onEvent: thank-you'),
    );
    const out = join(dir, 'out', 'graph.json');
    const r = await herald(['compile', dir, '--format', 'json', '-o', out]);
    expect(r.code).toBe(0);
    const diagnostics = JSON.parse(r.err) as { severity: string }[];
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics.every((d) => d.severity !== 'error')).toBe(true);
    expect(r.err).not.toContain('wrote ');
    expect(readFileSync(out, 'utf8')).toMatch(/^\{/);
  });
});
