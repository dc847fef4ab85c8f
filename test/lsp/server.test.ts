/**
 * The language server over the real protocol (stdio JSON-RPC), on a temp copy of
 * examples/invoice-dunning: what an editor sends, what it gets back.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Project } from '@herald/dsl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CodeActionRequest,
  CompletionRequest,
  DefinitionRequest,
  DocumentFormattingRequest,
  DocumentSymbolRequest,
  HoverRequest,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type DocumentSymbol,
  type Hover,
  type Location,
  type MarkupContent,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node.js';
import { applyEdits, copyProject, LspClient, removeProject, REPO } from './lsp-client.js';

const JOURNEY = 'journeys/invoice-overdue.journey.yaml';
const TEMPLATE = 'templates/payment-reminder.template.yaml';
const CHANNELS_TEST = 'tests/channels.test.yaml';
const ESCALATION_TEST = 'tests/escalation.test.yaml';
const PAYMENT_TEST = 'tests/payment.test.yaml';

/** What the compiler itself reports for the project with `overrides` applied: the CLI's answer. */
function libraryDiagnostics(root: string, overrides: Record<string, string>, file: string) {
  const p = new Project(root, {
    readFile: (f) => {
      try {
        return readFileSync(f, 'utf8');
      } catch {
        return undefined;
      }
    },
    pluginRoots: [REPO],
  });
  for (const rel of yamlFiles(root)) p.setFile(rel, overrides[rel] ?? readFileSync(join(root, rel), 'utf8'));
  return p.check().diagnostics.filter((d) => d.file === file);
}

/** The files the CLI reads: every YAML file below the root, skipping node_modules, .git, .herald, dist and out. */
function yamlFiles(root: string, dir = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir)).sort()) {
    if (['node_modules', '.git', '.herald', 'dist', 'out'].includes(name)) continue;
    const rel = dir ? `${dir}/${name}` : name;
    if (statSync(join(root, rel)).isDirectory()) out.push(...yamlFiles(root, rel));
    else if (/\.ya?ml$/.test(name)) out.push(rel);
  }
  return out;
}

function items(r: CompletionList | CompletionItem[] | null): CompletionItem[] {
  if (!r) return [];
  return Array.isArray(r) ? r : r.items;
}

function labels(r: CompletionList | CompletionItem[] | null): string[] {
  return items(r).map((i) => i.label);
}

function hoverText(h: Hover | null): string {
  if (!h) return '';
  const c = h.contents;
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((x) => (typeof x === 'string' ? x : x.value)).join('\n');
  return (c as MarkupContent).value;
}

let root: string;
let client: LspClient;

beforeAll(async () => {
  root = copyProject();
  client = await LspClient.start(root);
});

afterAll(async () => {
  await client?.stop();
  if (root) removeProject(root);
});

describe('initialize', () => {
  it('announces the features', () => {
    const caps = client.initializeResult!.capabilities;
    expect(caps.completionProvider).toBeTruthy();
    expect(caps.hoverProvider).toBe(true);
    expect(caps.definitionProvider).toBe(true);
    expect(caps.referencesProvider).toBe(true);
    expect(caps.renameProvider).toEqual({ prepareProvider: true });
    expect(caps.documentSymbolProvider).toBe(true);
    expect(caps.codeActionProvider).toBeTruthy();
    expect(caps.documentFormattingProvider).toBe(true);
    expect(client.initializeResult!.serverInfo?.name).toBe('herald-language-server');
  });
});

describe('diagnostics', () => {
  it('publishes exactly what the compiler reports, and clears them when fixed', async () => {
    const good = client.text(JOURNEY);
    const bad = good.replace('send: payment-reminder', 'send: payment-remindr').replace('goto: account-manager', 'goto: acount-manager');
    const published = await client.open(JOURNEY, bad);
    const expected = libraryDiagnostics(root, { [JOURNEY]: bad }, JOURNEY);
    // No unreachable-step beside unknown-step: the did-you-mean (`account-manager`) counts as the link.
    expect(expected.map((d) => d.code)).toEqual(['unknown-template', 'unknown-step']);
    expect(published.diagnostics.map((d) => ({ code: d.code, range: d.range, severity: d.severity, source: d.source }))).toEqual(
      expected.map((d) => ({
        code: d.code,
        range: { start: { line: d.range.start.line - 1, character: d.range.start.column - 1 }, end: { line: d.range.end.line - 1, character: d.range.end.column - 1 } },
        severity: d.severity === 'error' ? 1 : d.severity === 'warning' ? 2 : 3,
        source: 'herald',
      })),
    );
    expect(published.diagnostics[0]!.message).toBe('unknown template `payment-remindr`\ndid you mean `payment-reminder`?');

    const fixed = await client.change(JOURNEY, good);
    expect(fixed.diagnostics).toEqual([]);
  });

  it('a code action applies the did-you-mean fix', async () => {
    const bad = client.text(JOURNEY).replace('send: payment-reminder', 'send: payment-remindr');
    const published = await client.change(JOURNEY, bad);
    const d = published.diagnostics.find((x) => x.code === 'unknown-template')!;
    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: client.uri(JOURNEY) },
      range: d.range,
      context: { diagnostics: [d] },
    });
    expect(actions).toHaveLength(1);
    const action = actions![0] as { title: string; edit: WorkspaceEdit };
    expect(action.title).toBe('Change to `payment-reminder`');
    expect(action.edit.changes![client.uri(JOURNEY)]).toEqual([{ range: d.range, newText: 'payment-reminder' }]);
    await client.change(JOURNEY, bad.replace('send: payment-remindr', 'send: payment-reminder'));
  });

  it('a code action applies the did-you-mean of a name inside an expression', async () => {
    const bad = client.text(JOURNEY).replace('daysBetween(trigger.dueDate, now())', 'daysBetween(trigger.dueDat, now())');
    const published = await client.change(JOURNEY, bad);
    const d = published.diagnostics.find((x) => x.code === 'unknown-field')!;
    const actions = await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: client.uri(JOURNEY) }, range: d.range, context: { diagnostics: [d] } });
    const action = actions![0] as { title: string; edit: WorkspaceEdit };
    expect(action.title).toBe('Change to `dueDate`');
    const [edit] = action.edit.changes![client.uri(JOURNEY)]!;
    const line = bad.split('\n')[edit!.range.start.line]!;
    expect(line.slice(edit!.range.start.character, edit!.range.end.character)).toBe('dueDat');
    expect(edit!.newText).toBe('dueDate');
    await client.change(JOURNEY, bad.replace('trigger.dueDat,', 'trigger.dueDate,'));
  });

  it('a code action quotes a `{{...}}` value that goes on with more text (which YAML cannot parse)', async () => {
    const good = client.text(TEMPLATE);
    const bad = good.replace('subject: "Invoice {{trigger.invoiceId}} is overdue"', 'subject: {{trigger.invoiceId}} is overdue # en');
    const published = await client.open(TEMPLATE, bad);
    const line = bad.split('\n').findIndex((l) => l.includes('subject: {{'));
    const d = published.diagnostics.find((x) => x.range.start.line === line)!;
    expect(d.code).toBe('unquoted-template');
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: client.uri(TEMPLATE) },
      range: d.range,
      context: { diagnostics: [d] },
    })) as { title: string; edit: WorkspaceEdit }[];
    expect(actions.map((a) => a.title)).toEqual(['Quote this value']);
    const fixed = applyEdits(bad, actions[0]!.edit.changes![client.uri(TEMPLATE)]!);
    expect(fixed).toBe(good.replace('subject: "Invoice {{trigger.invoiceId}} is overdue"', 'subject: "{{trigger.invoiceId}} is overdue" # en'));
    expect((await client.change(TEMPLATE, fixed)).diagnostics).toEqual([]);
    await client.close(TEMPLATE);
  });

  it('gives exact UTF-16 ranges on lines with multi-byte characters', async () => {
    const text = client.text(TEMPLATE).replace('subject: "Invoice {{trigger.invoiceId}} is overdue"', 'subject: "Grüße 😀 {{custmer.name}}"');
    const published = await client.open(TEMPLATE, text);
    const d = published.diagnostics.find((x) => x.code === 'unknown-variable');
    expect(d).toBeDefined();
    const line = text.split('\n').findIndex((l) => l.includes('Grüße'));
    const col = text.split('\n')[line]!.indexOf('custmer');
    // 😀 is two UTF-16 code units: the column counts both.
    expect(text.split('\n')[line]!.slice(0, col)).toBe('    subject: "Grüße 😀 {{');
    expect(d!.range).toEqual({ start: { line, character: col }, end: { line, character: col + 'custmer.name'.length } });
    const expected = libraryDiagnostics(root, { [TEMPLATE]: text }, TEMPLATE).find((x) => x.code === 'unknown-variable')!;
    expect(d!.range.start.character).toBe(expected.range.start.column - 1);
    await client.close(TEMPLATE);
  });
});

describe('completion', () => {
  const disk = (rel: string) => readFileSync(join(root, rel), 'utf8');
  const at = async (rel: string, text: string, needle: string, delta = needle.length) => {
    await client.change(rel, text);
    return client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: client.uri(rel) }, position: client.position(rel, needle, delta) });
  };

  it('lists template ids after `send: `', async () => {
    const text = disk(JOURNEY).replace('send: payment-thanks', 'send: ');
    const r = await at(JOURNEY, text, '  - id: thank-you\n    send: ');
    expect(labels(r)).toEqual(expect.arrayContaining(['payment-reminder', 'payment-thanks', 'final-notice']));
  });

  it("lists plugins after a channel's or a source's `use: `: Herald's own of that kind, and those the project uses", async () => {
    const config = disk('herald.yaml');
    await client.open('herald.yaml');
    const channel = await at('herald.yaml', config.replace('  sms:\n    use: "@herald/channel-log"', '  sms:\n    use: '), '  sms:\n    use: ');
    expect(labels(channel)).toEqual(expect.arrayContaining(['@herald/channel-sms', '@herald/channel-webhook', '@herald/channel-email', '@herald/channel-log']));
    expect(labels(channel)).not.toContain('@herald/source-file');
    const source = await at('herald.yaml', config.replace('    use: "@herald/source-file"', '    use: '), '  crm:\n    use: ');
    expect(labels(source)).toEqual(['@herald/source-file']);
    await client.change('herald.yaml', config);
    await client.close('herald.yaml');
  });

  it("lists the emitted event's fields under an emit step's `data:`, leaving out those written", async () => {
    const text = disk(JOURNEY).replace(/        reason: .*\n/, '        re\n');
    const r = await at(JOURNEY, text, '        invoiceId: trigger.invoiceId\n        re');
    expect(labels(r)).toEqual(['reason']);
    await client.change(JOURNEY, disk(JOURNEY));
  });

  it("lists sources and the chosen source's queries for herald.yaml's subject source", async () => {
    const config = disk('herald.yaml');
    await client.open('herald.yaml');
    const q = await at('herald.yaml', config.replace('query: customerById }', 'query:  }'), 'source: { source: crm, query: ');
    expect(labels(q)).toEqual(['customerById']);
    const s = await at('herald.yaml', config.replace('{ source: crm, query', '{ source: , query'), 'source: { source: ');
    expect(labels(s)).toEqual(['crm']);
    await client.change('herald.yaml', config);
    await client.close('herald.yaml');
  });

  it("lists Herald's types for an event field in herald.yaml", async () => {
    const config = disk('herald.yaml');
    await client.open('herald.yaml');
    const r = await at('herald.yaml', config.replace('      amount: number', '      amount: '), '      amount: ');
    expect(labels(r)).toEqual(['string', 'number', 'bool', 'timestamp', 'duration', 'any', 'list<…>', 'map<…>']);
    await client.change('herald.yaml', config);
    await client.close('herald.yaml');
  });

  it('lists step ids after `goto: `', async () => {
    const text = disk(JOURNEY).replace('goto: account-manager', 'goto: ');
    const r = await at(JOURNEY, text, 'goto: ');
    expect(labels(r)).toEqual(expect.arrayContaining(['first-reminder', 'wait-payment', 'second-notice', 'account-manager', 'final-notice', 'thank-you']));
  });

  it('lists keys of a step mapping with their documentation', async () => {
    const text = disk(JOURNEY).replace('    send: payment-thanks\n', '    send: payment-thanks\n    \n');
    const r = await at(JOURNEY, text, '    send: payment-thanks\n    ');
    const policy = items(r).find((i) => i.label === 'policy');
    expect(policy).toBeDefined();
    expect((policy!.documentation as MarkupContent).value).toContain('channel policy');
    expect(labels(r)).not.toContain('send'); // already there
  });

  it('lists event fields with their types after `trigger.`', async () => {
    const text = disk(JOURNEY).replace('"event.invoiceId == trigger.invoiceId"', '"event.invoiceId == trigger."');
    const r = await at(JOURNEY, text, '"event.invoiceId == trigger.');
    const amount = items(r).find((i) => i.label === 'amount');
    expect(amount?.detail).toBe('number');
    expect(items(r).find((i) => i.label === 'dueDate')?.detail).toBe('timestamp');
  });

  it('lists fields inside `{{customer.`', async () => {
    const text = disk(TEMPLATE).replace('Dear {{customer.name}},\n\n      invoice', 'Dear {{customer.\n\n      invoice');
    await client.open(TEMPLATE, disk(TEMPLATE));
    const r = await at(TEMPLATE, text, 'Dear {{customer.');
    expect(labels(r)).toEqual(expect.arrayContaining(['name', 'segment', 'accountManager']));
    expect(items(r).find((i) => i.label === 'accountManager')?.detail).toBe('string');
    await client.close(TEMPLATE);
  });
});

describe('hover', () => {
  it('shows schema docs on a key', async () => {
    await client.change(JOURNEY, readFileSync(join(root, JOURNEY), 'utf8'));
    const h = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri(JOURNEY) }, position: client.position(JOURNEY, 'onTimeout', 2) });
    expect(hoverText(h)).toContain('Where to go when the wait times out');
    const on = (needle: string) => client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri(JOURNEY) }, position: client.position(JOURNEY, needle, 2) });
    expect(hoverText(await on('trigger:\n'))).toContain('When an instance starts');
    expect(hoverText(await on('emit:\n      event: invoice.escalated'))).toContain('Raise an event, as if it had been posted');
    expect(hoverText(await on('description: Remind'))).toContain('What the journey is for');
  });

  it('shows the type of an expression identifier', async () => {
    const h = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri(JOURNEY) }, position: client.position(JOURNEY, 'trigger.amount > 1000', 'trigger.'.length + 2) });
    expect(hoverText(h)).toContain('trigger.amount: number');
    const v = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri(JOURNEY) }, position: client.position(JOURNEY, 'string(daysLate)', 'string('.length + 1) });
    expect(hoverText(v)).toContain('daysLate: number');
  });
});

describe('navigation', () => {
  it('goes from `send:` to the template and from a `goto`/`onTimeout` target to the step', async () => {
    const defs = (await client.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: client.uri(JOURNEY) },
      position: client.position(JOURNEY, 'send: payment-reminder', 8),
    })) as Location[];
    expect(defs).toEqual([{ uri: client.uri(TEMPLATE), range: { start: { line: 0, character: 10 }, end: { line: 0, character: 26 } } }]);

    const step = (await client.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: client.uri(JOURNEY) },
      position: client.position(JOURNEY, 'onTimeout: second-notice', 13),
    })) as Location[];
    const target = client.position(JOURNEY, 'id: second-notice', 4);
    expect(step).toEqual([{ uri: client.uri(JOURNEY), range: { start: target, end: { line: target.line, character: target.character + 'second-notice'.length } } }]);

    const viaGoto = (await client.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: client.uri(JOURNEY) },
      position: client.position(JOURNEY, 'goto: account-manager', 8),
    })) as Location[];
    expect(viaGoto[0]!.range.start).toEqual(client.position(JOURNEY, 'id: account-manager', 4));
  });

  it('finds the references of a step id', async () => {
    const refs = (await client.connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri: client.uri(JOURNEY) },
      position: client.position(JOURNEY, 'id: thank-you', 5),
      context: { includeDeclaration: true },
    })) as Location[];
    const inJourney = refs.filter((r) => r.uri === client.uri(JOURNEY));
    // And the journey tests' `visited:` and `notVisited:` lists.
    expect(refs.filter((r) => r.uri === client.uri(ESCALATION_TEST)).map((r) => r.range.start.line)).toEqual([
      client.position(ESCALATION_TEST, 'thank-you]').line,
      client.position(ESCALATION_TEST, 'thank-you]', 0, 1).line,
    ]);
    expect(refs.filter((r) => r.uri === client.uri(PAYMENT_TEST))).toHaveLength(2);
    expect(inJourney.map((r) => r.range.start.line).sort((a, b) => a - b)).toEqual(
      [client.position(JOURNEY, 'onEvent: thank-you').line, client.position(JOURNEY, 'onEvent: thank-you', 0, 1).line, client.position(JOURNEY, 'id: thank-you').line].sort((a, b) => a - b),
    );
  });

  it('renames a step id everywhere it is used', async () => {
    const prep = await client.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri: client.uri(JOURNEY) }, position: client.position(JOURNEY, 'onEvent: thank-you', 10) });
    expect(prep).toMatchObject({ placeholder: 'thank-you' });
    const edit = (await client.connection.sendRequest(RenameRequest.type, {
      textDocument: { uri: client.uri(JOURNEY) },
      position: client.position(JOURNEY, 'onEvent: thank-you', 10),
      newName: 'paid-thanks',
    })) as WorkspaceEdit;
    const edits = edit.changes![client.uri(JOURNEY)]!;
    expect(edits).toHaveLength(3);
    expect(applyEdits(client.text(JOURNEY), edits)).toBe(client.text(JOURNEY).replaceAll('thank-you', 'paid-thanks'));
    // The journey tests that name the step (`visited:`, `notVisited:`) follow; the tests' names ("gets a thank-you") do not.
    for (const test of [ESCALATION_TEST, PAYMENT_TEST]) {
      const text = client.text(test);
      expect(applyEdits(text, edit.changes![client.uri(test)]!)).toBe(text.replace(/(?<=\[[^\]\n]*)thank-you(?=[^\[\n]*\])/g, 'paid-thanks'));
    }
    expect(Object.keys(edit.changes!).sort()).toEqual([client.uri(JOURNEY), client.uri(ESCALATION_TEST), client.uri(PAYMENT_TEST)].sort());
  });

  it('refuses a rename to a taken or invalid id with a message for the user', async () => {
    const rename = (newName: string) =>
      client.connection.sendRequest(RenameRequest.type, { textDocument: { uri: client.uri(JOURNEY) }, position: client.position(JOURNEY, 'onEvent: thank-you', 10), newName });
    // RequestFailed (LSP 3.17): a valid request the server declines, which clients show to the user.
    await expect(rename('final-notice')).rejects.toMatchObject({ code: -32803, message: expect.stringMatching(/final-notice.*already exists/) });
    await expect(rename('Bad Name')).rejects.toMatchObject({ code: -32803, message: expect.stringMatching(/is not a valid id/) });
  });

  it('renames a template id in the template and every send', async () => {
    const edit = (await client.connection.sendRequest(RenameRequest.type, {
      textDocument: { uri: client.uri(JOURNEY) },
      position: client.position(JOURNEY, 'send: payment-reminder', 8),
      newName: 'reminder',
    })) as WorkspaceEdit;
    expect(Object.keys(edit.changes!).sort()).toEqual([client.uri(JOURNEY), client.uri(TEMPLATE), client.uri(CHANNELS_TEST), client.uri(ESCALATION_TEST), client.uri(PAYMENT_TEST)].sort());
    expect(edit.changes![client.uri(JOURNEY)]).toHaveLength(2);
    expect(edit.changes![client.uri(TEMPLATE)]).toHaveLength(1);
    // Every `template: payment-reminder` of the journey tests, so they still test the template.
    for (const test of [CHANNELS_TEST, ESCALATION_TEST, PAYMENT_TEST]) {
      const text = client.text(test);
      expect(applyEdits(text, edit.changes![client.uri(test)]!)).toBe(text.replaceAll('template: payment-reminder', 'template: reminder'));
    }
  });

  it('lists the steps as document symbols', async () => {
    const syms = (await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: client.uri(JOURNEY) } })) as DocumentSymbol[];
    expect(syms[0]!.name).toBe('invoice-overdue');
    const names = syms[0]!.children!.map((c) => c.name);
    expect(names).toEqual(['trigger', 'customer', 'first-reminder', 'wait-payment', 'second-notice', '#4', '#5', '#6', 'account-manager', 'final-notice', '#9', 'thank-you', '#11']);
  });
});

describe('journey test files', () => {
  it('reports what herald test would stop on, where it is, and clears it when fixed', async () => {
    const good = client.text(ESCALATION_TEST);
    const bad = good.replace('template: final-notice', 'template: final-notise').replace('sentCount: 1', 'sentCont: 1');
    // Where the mistakes are, read before the client holds the misspelt text.
    const keyAt = client.position(ESCALATION_TEST, 'sentCount: 1');
    const at = client.position(ESCALATION_TEST, 'template: final-notice', 'template: '.length);
    const published = await client.open(ESCALATION_TEST, bad);
    const shown = published.diagnostics.map((d) => ({ code: d.code, line: d.range.start.line, severity: d.severity, message: d.message }));
    expect(shown).toEqual([
      { code: 'unknown-key', line: keyAt.line, severity: 1, message: 'expect has no field "sentCont"\ndid you mean `sentCount`?' },
      { code: 'unknown-template', line: at.line, severity: 1, message: '`final-notise` is not a template of this project\ndid you mean `final-notice`?' },
    ]);
    // The misspelt name is underlined whole.
    expect(published.diagnostics[1]!.range).toEqual({ start: at, end: { line: at.line, character: at.character + 'final-notise'.length } });
    const fixed = await client.change(ESCALATION_TEST, good);
    expect(fixed.diagnostics).toEqual([]);
    await client.close(ESCALATION_TEST);
  });

  it('goes from a name in a test to its definition', async () => {
    const locs = (await client.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: client.uri(ESCALATION_TEST) },
      position: client.position(ESCALATION_TEST, 'step: final-notice', 8),
    })) as Location[];
    expect(locs).toHaveLength(1);
    expect(locs[0]!.uri).toBe(client.uri(JOURNEY));
    expect(locs[0]!.range.start).toEqual(client.position(JOURNEY, 'id: final-notice', 4));
  });

  it('finds the references of a template from a test, and renames it from there', async () => {
    const position = client.position(PAYMENT_TEST, 'template: payment-reminder', 12);
    const refs = (await client.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri: client.uri(PAYMENT_TEST) }, position, context: { includeDeclaration: false } })) as Location[];
    const count = (rel: string) => refs.filter((r) => r.uri === client.uri(rel)).length;
    expect([count(JOURNEY), count(TEMPLATE), count(CHANNELS_TEST), count(ESCALATION_TEST), count(PAYMENT_TEST)]).toEqual([2, 0, 10, 4, 8]);
    const prep = await client.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri: client.uri(PAYMENT_TEST) }, position });
    expect(prep).toMatchObject({ placeholder: 'payment-reminder' });
    const edit = (await client.connection.sendRequest(RenameRequest.type, { textDocument: { uri: client.uri(PAYMENT_TEST) }, position, newName: 'reminder' })) as WorkspaceEdit;
    expect(edit.changes![client.uri(TEMPLATE)]).toHaveLength(1);
    expect(edit.changes![client.uri(PAYMENT_TEST)]).toHaveLength(8);
  });

  it('leaves a step named without its journey alone when another journey has a step of that id', async () => {
    const copy = 'journeys/copy.journey.yaml';
    await client.open(copy, client.text(JOURNEY).replace('journey: invoice-overdue', 'journey: invoice-copy'));
    const edit = (await client.connection.sendRequest(RenameRequest.type, {
      textDocument: { uri: client.uri(JOURNEY) },
      position: client.position(JOURNEY, 'id: first-reminder', 5),
      newName: 'reminder-one',
    })) as WorkspaceEdit;
    await client.close(copy);
    // `step: first-reminder` in the tests names no journey: it may mean the copy's.
    expect(Object.keys(edit.changes!)).toEqual([client.uri(JOURNEY)]);
    const after = (await client.connection.sendRequest(RenameRequest.type, {
      textDocument: { uri: client.uri(JOURNEY) },
      position: client.position(JOURNEY, 'id: first-reminder', 5),
      newName: 'reminder-one',
    })) as WorkspaceEdit;
    expect(Object.keys(after.changes!).sort()).toEqual([client.uri(JOURNEY), client.uri(ESCALATION_TEST), client.uri(PAYMENT_TEST)].sort());
  });
});

describe('journey test files: completion and hover', () => {
  const complete = async (text: string, needle: string, delta = needle.length) => {
    await client.change(PAYMENT_TEST, text);
    return client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: client.uri(PAYMENT_TEST) }, position: client.position(PAYMENT_TEST, needle, delta) });
  };
  const disk = () => readFileSync(join(root, PAYMENT_TEST), 'utf8');

  beforeAll(async () => {
    await client.open(PAYMENT_TEST, disk());
  });
  afterAll(async () => {
    await client.close(PAYMENT_TEST);
  });

  it('lists the kinds of step with their documentation', async () => {
    const r = await complete(disk().replace('      - advance: 3d\n', '      - \n      - advance: 3d\n'), '      - \n', '      - '.length);
    expect(labels(r).sort()).toEqual(['advance', 'event', 'events', 'expect', 'receipt', 'stop', 'subject']);
    expect((items(r).find((i) => i.label === 'advance')!.documentation as MarkupContent).value).toContain('Move the virtual clock');
  });

  it('lists what an expect can check, leaving out what it checks already', async () => {
    const r = await complete(disk().replace('          sentCount: 1\n', '          sentCount: 1\n          \n'), '          sentCount: 1\n          ');
    expect(labels(r).sort()).toEqual(['archive', 'noInstance', 'notSent']);
  });

  it('lists the project\'s templates, and every journey\'s steps, after `template:` and `step:`', async () => {
    const templates = await complete(disk().replace('template: payment-reminder\n              step: first-reminder', 'template: \n              step: first-reminder'), 'template: \n', 'template: '.length);
    expect(labels(templates).sort()).toEqual(['final-notice', 'payment-reminder', 'payment-thanks']);
    const steps = await complete(disk().replace('step: first-reminder\n              content', 'step: \n              content'), 'step: \n', 'step: '.length);
    expect(labels(steps)).toEqual(expect.arrayContaining(['first-reminder', 'wait-payment', 'thank-you']));
    expect(items(steps).find((i) => i.label === 'first-reminder')?.detail).toBe('send step of invoice-overdue');
  });

  it('lists channels as the keys of outcomes, and the outcomes as their values', async () => {
    const keys = await complete(disk().replace('\ntests:\n', '\noutcomes:\n  \ntests:\n'), 'outcomes:\n  ');
    expect(labels(keys).sort()).toEqual(['email', 'letter', 'sms']);
    const values = await complete(disk().replace('\ntests:\n', '\noutcomes:\n  sms: \ntests:\n'), '  sms: \n', '  sms: '.length);
    expect(labels(values)).toEqual(['delivered', 'accepted', 'failed', 'rejected', 'bounced']);
  });

  it("lists an event's data fields by the type written beside them, required first, leaving out those written", async () => {
    const text = disk().replace(
      'data: { subjectId: c-100, invoiceId: INV-1, amount: 1200, currency: EUR, dueDate: "2026-01-01T00:00:00Z" }',
      'data:\n            subjectId: c-100\n            ',
    );
    const r = await complete(text, 'subjectId: c-100\n            ');
    expect(labels(r).sort()).toEqual(['amount', 'currency', 'dueDate', 'invoiceId']);
    expect(items(r).find((i) => i.label === 'dueDate')?.detail).toBe('timestamp');
  });

  it("lists a fixture's args and returns from its query, optional fields marked", async () => {
    const returns = await complete(disk().replace('returns: { name: Alan Turing, segment: consumer }', 'returns:\n        '), '      returns:\n        ');
    expect(labels(returns).sort()).toEqual(['accountManager', 'name', 'segment']);
    expect(items(returns).find((i) => i.label === 'accountManager')?.detail).toBe('string (optional)');
    expect(items(returns).find((i) => i.label === 'accountManager')?.sortText?.startsWith('1')).toBe(true);
    const args = await complete(disk().replace('- args: { id: c-200 }', '- args:\n        '), '- args:\n        ');
    expect(labels(args)).toEqual(['id']);
  });

  it("lists a subject profile's fields with the project's own `subject: fields:`", async () => {
    const r = await complete(disk().replace('    timezone: Europe/Berlin\n  c-200:', '    timezone: Europe/Berlin\n    \n  c-200:'), '    timezone: Europe/Berlin\n    ');
    // `name` is the project's (herald.yaml `subject: fields:`), written already; the built-ins not written yet.
    expect(labels(r).sort()).toEqual(['id', 'locale', 'optOuts']);
    const step = await complete(disk().replace('      - advance: 3d\n', '      - subject:\n          id: c-100\n          \n      - advance: 3d\n'), '          id: c-100\n          ');
    expect(labels(step)).toEqual(expect.arrayContaining(['name', 'contacts', 'channels', 'optOuts']));
    expect(labels(step)).not.toContain('id');
  });

  it('documents keys and the names a test uses on hover', async () => {
    await client.change(PAYMENT_TEST, disk());
    const on = (needle: string, delta: number) =>
      client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri(PAYMENT_TEST) }, position: client.position(PAYMENT_TEST, needle, delta) });
    expect(hoverText(await on('sentCount: 1', 3))).toContain('Exactly this many messages were sent since the previous `expect`');
    expect(hoverText(await on('template: payment-reminder', 'template: '.length + 2))).toContain('**template** `payment-reminder` — `templates/payment-reminder.template.yaml`');
  });
});

describe('formatting', () => {
  it('keeps comments', async () => {
    const rel = 'policies/dunning.policy.yaml';
    const text = '# Billing reminders\npolicy: dunning   \n# the channels, in order\nchannels:\n    - email   # first\n    - sms\n    - letter\norder: subject.channels\n\n\n';
    await client.open(rel, text);
    const edits = (await client.connection.sendRequest(DocumentFormattingRequest.type, {
      textDocument: { uri: client.uri(rel) },
      options: { tabSize: 2, insertSpaces: true },
    })) as TextEdit[];
    const out = applyEdits(text, edits);
    expect(out).toContain('# Billing reminders');
    expect(out).toContain('# the channels, in order');
    expect(out).toContain('# first');
    // `- email   # first` moves left with its indentation (4 → 2) and keeps its gap to the code.
    expect(out).toBe('# Billing reminders\npolicy: dunning\n# the channels, in order\nchannels:\n  - email   # first\n  - sms\n  - letter\norder: subject.channels\n');
    await client.close(rel);
  });

  it('leaves a file that nests too deeply alone, and the server keeps answering', async () => {
    // 100,000 open brackets: composing this recursively would exhaust the server's stack.
    const rel = 'policies/deep.policy.yaml';
    const text = `policy: deep\nchannels: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    const published = await client.open(rel, text);
    expect(published.diagnostics.map((d) => [d.code, d.range.start])).toEqual([['nesting-too-deep', { line: 1, character: 10 + 63 }]]);
    const edits = await client.connection.sendRequest(DocumentFormattingRequest.type, {
      textDocument: { uri: client.uri(rel) },
      options: { tabSize: 2, insertSpaces: true },
    });
    expect(edits ?? []).toEqual([]);
    await client.close(rel);
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri(JOURNEY) }, position: client.position(JOURNEY, 'onTimeout', 2) });
    expect(hover).not.toBeNull();
  });
});

export type { Diagnostic };
