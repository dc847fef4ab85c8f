/**
 * More of what an integration engineer does: plugin config keys, functions, partials,
 * cross-file effects of editing herald.yaml, closing an unsaved file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CompletionRequest,
  DefinitionRequest,
  HoverRequest,
  type CompletionItem,
  type CompletionList,
  type Location,
  type MarkupContent,
} from 'vscode-languageserver-protocol/node.js';
import { copyProject, LspClient, removeProject } from './lsp-client.js';

const JOURNEY = 'journeys/invoice-overdue.journey.yaml';
const TEMPLATE = 'templates/payment-reminder.template.yaml';
const CONFIG = 'herald.yaml';

let root: string;
let client: LspClient;
const disk = (rel: string) => readFileSync(join(root, rel), 'utf8');

beforeAll(async () => {
  root = copyProject();
  client = await LspClient.start(root, { fullCheckDelayMs: 50 });
});

afterAll(async () => {
  await client?.stop();
  if (root) removeProject(root);
});

function items(r: CompletionList | CompletionItem[] | null): CompletionItem[] {
  return !r ? [] : Array.isArray(r) ? r : r.items;
}

async function completeAt(rel: string, text: string, needle: string, delta = needle.length) {
  await client.change(rel, text);
  return items(await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: client.uri(rel) }, position: client.position(rel, needle, delta) }));
}

describe('completion', () => {
  it('offers a plugin\'s config keys from its own schema', async () => {
    await client.open(CONFIG);
    const text = disk(CONFIG).replace('      port: 2525\n', '      port: 2525\n      \n');
    const got = await completeAt(CONFIG, text, '      port: 2525\n      ');
    const labels = got.map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['secure', 'requireTLS', 'auth']));
    expect(labels).not.toContain('port');
    expect((got.find((i) => i.label === 'secure')!.documentation as MarkupContent).value).toContain('TLS');
    await client.change(CONFIG, disk(CONFIG));
  });

  it('offers functions with their signatures, and names in scope with their types', async () => {
    await client.open(JOURNEY);
    const text = disk(JOURNEY).replace('daysLate: "daysBetween(trigger.dueDate, now())"', 'daysLate: "da"');
    const got = await completeAt(JOURNEY, text, 'daysLate: "da');
    const f = got.find((i) => i.label === 'daysBetween')!;
    expect(f.detail).toContain('daysBetween(from: timestamp, to: timestamp) -> number');
    expect(got.find((i) => i.label === 'customer')?.detail).toContain('segment: string');
    expect(got.find((i) => i.label === 'trigger')).toBeDefined();
  });

  it('offers string methods after a string-typed member', async () => {
    const text = disk(JOURNEY).replace('when: customer.segment == "business"', 'when: customer.segment.');
    const got = (await completeAt(JOURNEY, text, 'when: customer.segment.')).map((i) => i.label);
    expect(got).toEqual(expect.arrayContaining(['contains', 'startsWith', 'lower']));
    expect(got).not.toContain('keys');
  });

  it('in a trigger `key`, offers the event\'s fields and only the names `subject:` sees', async () => {
    const fields = (await completeAt(JOURNEY, disk(JOURNEY).replace('key: event.invoiceId', 'key: event.'), 'key: event.')).map((i) => i.label);
    expect(fields).toEqual(expect.arrayContaining(['invoiceId', 'subjectId', 'amount']));
    const names = (await completeAt(JOURNEY, disk(JOURNEY).replace('key: event.invoiceId', 'key: e'), 'key: e')).map((i) => i.label);
    expect(names).toContain('event');
    expect(names).not.toContain('subject');
    await client.change(JOURNEY, disk(JOURNEY));
  });

  it('offers events, enum values and partials', async () => {
    const events = (await completeAt(JOURNEY, disk(JOURNEY).replace('event: invoice.overdue', 'event: '), 'event: ')).map((i) => i.label);
    expect(events).toEqual(['invoice.overdue', 'invoice.paid', 'invoice.escalated']);
    const reentry = (await completeAt(JOURNEY, disk(JOURNEY).replace('reentry: after-exit', 'reentry: '), 'reentry: ')).map((i) => i.label);
    expect(reentry).toEqual(['never', 'after-exit', 'always']);
    await client.change(JOURNEY, disk(JOURNEY));
    await client.open(TEMPLATE);
    const partials = (await completeAt(TEMPLATE, disk(TEMPLATE).replace('{{> signature}}', '{{> '), '{{> ')).map((i) => i.label);
    expect(partials).toEqual(['signature']);
    await client.close(TEMPLATE);
  });
});

describe('hover and definition', () => {
  it('describes the template a send step names', async () => {
    const h = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri(JOURNEY) }, position: client.position(JOURNEY, 'send: payment-reminder', 9) });
    const text = (h!.contents as MarkupContent).value;
    expect(text).toContain('**template** `payment-reminder`');
    expect(text).toContain('First and second payment reminder.');
    expect(text).toContain('| email | de | subject, text |');
  });

  it('goes from an event name to its declaration in herald.yaml', async () => {
    const defs = (await client.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: client.uri(JOURNEY) },
      position: client.position(JOURNEY, 'event: invoice.paid', 9),
    })) as Location[];
    expect(defs).toHaveLength(1);
    expect(defs[0]!.uri).toBe(client.uri(CONFIG));
    expect(defs[0]!.range.start).toEqual(client.position(CONFIG, '  invoice.paid:', 2));
  });
});

describe('the whole project', () => {
  it('an edit to herald.yaml shows up in the journeys that depend on it, and closing restores the disk', async () => {
    const journeyDiagnostics = client.waitForDiagnostics(JOURNEY, (p) => p.diagnostics.some((d) => d.code === 'unknown-event'));
    await client.change(CONFIG, disk(CONFIG).replace('  invoice.paid:\n', '  invoice.payd:\n'));
    const d = await journeyDiagnostics;
    expect(d.diagnostics.filter((x) => x.code === 'unknown-event')).toHaveLength(2);
    const cleared = client.waitForDiagnostics(JOURNEY, (p) => p.diagnostics.length === 0);
    await client.close(CONFIG);
    await cleared;
  });
});
