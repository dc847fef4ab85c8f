/**
 * More of what an integration engineer does: plugin config keys, functions, partials,
 * cross-file effects of editing herald.yaml, closing an unsaved file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SignatureHelpRequest,
  CodeLensRequest,
  DocumentHighlightRequest,
  DocumentHighlightKind,
  SymbolKind,
  WorkspaceSymbolRequest,
  type SymbolInformation,
  CompletionRequest,
  DefinitionRequest,
  HoverRequest,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  type CompletionItem,
  type CompletionList,
  type Location,
  type MarkupContent,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node.js';
import { applyEdits, copyProject, LspClient, removeProject } from './lsp-client.js';

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

  /** Where definition goes from `needle` (at `delta` characters in) in `rel`: file and start, as `file:line:character`. */
  async function definitionOf(rel: string, needle: string, delta: number): Promise<string[]> {
    const defs = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: client.uri(rel) }, position: client.position(rel, needle, delta) })) as Location[];
    return defs.map((d) => `${d.uri.slice(client.uri('').length).replace(/^\//, '')}:${d.range.start.line}:${d.range.start.character}`);
  }
  const at = (rel: string, needle: string, delta = 0) => {
    const p = client.position(rel, needle, delta);
    return `${rel}:${p.line}:${p.character}`;
  };

  it("goes from a name or field an expression uses to where it is declared: the event's fields, a data binding and its query's returns, a set variable", async () => {
    await client.open(JOURNEY);
    // `event.amount` in the trigger condition: the trigger event's field.
    expect(await definitionOf(JOURNEY, 'when: event.amount', 'when: event.'.length + 1)).toEqual([at(CONFIG, '      amount: number', 6)]);
    // `event.invoiceId` in a wait's match: the awaited event's (invoice.paid) field, not the trigger's.
    expect(await definitionOf(JOURNEY, 'match: "event.invoiceId', 'match: "event.'.length + 2)).toEqual([
      at(CONFIG, '      invoiceId: string\n  invoice.escalated', 6),
    ]);
    // `trigger.invoiceId` beside it: the trigger event's field.
    expect(await definitionOf(JOURNEY, '== trigger.invoiceId", timeout: 7d }\n    onEvent: thank-you\n    onTimeout', '== trigger.'.length + 1)).toEqual([
      at(CONFIG, '      invoiceId: string\n      amount', 6),
    ]);
    // `customer` is the journey's data binding; `customer.segment` the query's `returns:` field.
    expect(await definitionOf(JOURNEY, 'when: customer.segment', 'when: c'.length)).toEqual([at(JOURNEY, '  customer: { source', 2)]);
    expect(await definitionOf(JOURNEY, 'when: customer.segment', 'when: customer.s'.length)).toEqual([at(CONFIG, '          segment: string', 10)]);
    // A `set` variable, used in an emit's data.
    expect(await definitionOf(JOURNEY, 'string(daysLate)', 'string(d'.length)).toEqual([at(JOURNEY, '      daysLate:', 6)]);
    // The root `trigger` goes to the event it is.
    expect(await definitionOf(JOURNEY, 'subjectId: trigger.subjectId', 'subjectId: t'.length)).toEqual([at(CONFIG, '  invoice.overdue:', 2)]);
  });

  it('goes from a template tag to the declaration of the name and field it uses', async () => {
    await client.open(TEMPLATE);
    expect(await definitionOf(TEMPLATE, '{{trigger.amount}}', '{{trigger.a'.length)).toEqual([at(CONFIG, '      amount: number', 6)]);
    expect(await definitionOf(TEMPLATE, 'Dear {{customer.name}}', 'Dear {{customer.n'.length)).toEqual([at(CONFIG, '          name: string', 10)]);
    expect(await definitionOf(TEMPLATE, 'Dear {{customer.name}}', 'Dear {{c'.length)).toEqual([at(JOURNEY, '  customer: { source', 2)]);
  });

  it('follows a JSON Schema through `properties` and array `items`, and finds an optional field (`name?`)', async () => {
    await client.open(CONFIG);
    const config = disk(CONFIG).replace(
      '  invoice.paid:\n    fields:\n      subjectId: string\n      invoiceId: string\n',
      [
        '  invoice.paid:',
        '    schema:',
        '      type: object',
        '      properties:',
        '        subjectId: { type: string }',
        '        invoiceId: { type: string }',
        '        lines: { type: array, items: { type: object, properties: { sku: { type: string } } } }',
        '',
      ].join('\n'),
    );
    await client.change(CONFIG, config);
    const journey = disk(JOURNEY).replace(
      'match: "event.invoiceId == trigger.invoiceId", timeout: 7d }\n    onEvent: thank-you\n    onTimeout',
      'match: "event.lines[0].sku != customer.accountManager", timeout: 7d }\n    onEvent: thank-you\n    onTimeout',
    );
    await client.change(JOURNEY, journey);
    expect(await definitionOf(JOURNEY, 'event.lines[0].sku', 'event.lines[0].s'.length)).toEqual([at(CONFIG, 'properties: { sku:', 'properties: { '.length)]);
    expect(await definitionOf(JOURNEY, 'event.lines[0].sku', 'event.l'.length)).toEqual([at(CONFIG, '        lines:', 8)]);
    expect(await definitionOf(JOURNEY, 'customer.accountManager', 'customer.a'.length)).toEqual([at(CONFIG, '          accountManager: string?', 10)]);
    await client.change(JOURNEY, disk(JOURNEY));
    await client.change(CONFIG, disk(CONFIG));
  });

  it('goes nowhere from a name the project does not declare (journey.*, built-in subject fields)', async () => {
    const text = disk(JOURNEY).replace('when: event.amount > 0', 'when: event.amount > 0 && journey.id != "" && subject.locale != ""');
    await client.change(JOURNEY, text);
    expect(await definitionOf(JOURNEY, 'journey.id', 'journey.i'.length)).toEqual([]);
    expect(await definitionOf(JOURNEY, 'subject.locale', 'subject.l'.length)).toEqual([]);
    await client.change(JOURNEY, disk(JOURNEY));
  });
});

describe("a journey's variables: references and rename", () => {
  const HTML = 'templates/payment-reminder.en.html';
  const FINAL = 'templates/final-notice.template.yaml';
  const refsAt = async (rel: string, needle: string, delta: number, includeDeclaration = true) => {
    const refs = (await client.connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri: client.uri(rel) },
      position: client.position(rel, needle, delta),
      context: { includeDeclaration },
    })) as Location[];
    return refs.map((r) => `${r.uri.slice(client.uri('').length).replace(/^\//, '')}:${r.range.start.line}:${r.range.start.character}-${r.range.end.character}`).sort();
  };

  it('finds a data binding in its definition, the journey\'s expressions and the templates the journey sends, section tags included', async () => {
    await client.open(JOURNEY);
    const fromUse = await refsAt(JOURNEY, 'when: customer.segment', 'when: c'.length);
    const fromDef = await refsAt(JOURNEY, '  customer: { source', 3);
    expect(fromDef).toEqual(fromUse);
    const files = fromUse.map((r) => r.split(':')[0]);
    // The definition and the branch in the journey; {{customer.name}} in two variants and one in the
    // included HTML; the HTML's section, its closing tag and the name inside; final-notice's text.
    expect(files.filter((f) => f === JOURNEY)).toHaveLength(2);
    expect(files.filter((f) => f === TEMPLATE)).toHaveLength(3);
    expect(files.filter((f) => f === HTML)).toHaveLength(4);
    expect(files.filter((f) => f === FINAL)).toHaveLength(1);
    expect(fromUse).toContain(`${HTML}:${client.position(HTML, '{{/customer.accountManager}}', 3).line}:${client.position(HTML, '{{/customer.accountManager}}', 3).character}-${client.position(HTML, '{{/customer.accountManager}}', 3 + 'customer'.length).character}`);
    // Without the declaration: the uses only.
    expect(await refsAt(JOURNEY, 'when: customer.segment', 'when: c'.length, false)).toHaveLength(fromUse.length - 1);
  });

  it('renames a set variable in its step, the expressions and the templates, from a template tag', async () => {
    await client.open(FINAL);
    const at = { textDocument: { uri: client.uri(FINAL) }, position: client.position(FINAL, '{{daysLate}} days late."\n', 3) };
    expect(await client.connection.sendRequest(PrepareRenameRequest.type, at)).toMatchObject({ placeholder: 'daysLate' });
    const edit = (await client.connection.sendRequest(RenameRequest.type, { ...at, newName: 'overdueDays' })) as WorkspaceEdit;
    expect(Object.keys(edit.changes!).sort()).toEqual([client.uri(JOURNEY), client.uri(FINAL)].sort());
    expect(applyEdits(client.text(JOURNEY), edit.changes![client.uri(JOURNEY)]!)).toBe(client.text(JOURNEY).replaceAll('daysLate', 'overdueDays'));
    expect(applyEdits(client.text(FINAL), edit.changes![client.uri(FINAL)]!)).toBe(client.text(FINAL).replaceAll('daysLate', 'overdueDays'));
  });

  it('renames a data binding in a file a template includes too, section and closing tags with it', async () => {
    const edit = (await client.connection.sendRequest(RenameRequest.type, {
      textDocument: { uri: client.uri(JOURNEY) },
      position: client.position(JOURNEY, 'when: customer.segment', 'when: c'.length),
      newName: 'client',
    })) as WorkspaceEdit;
    expect(Object.keys(edit.changes!).sort()).toEqual([client.uri(JOURNEY), client.uri(TEMPLATE), client.uri(HTML), client.uri(FINAL)].sort());
    const html = disk(HTML);
    expect(applyEdits(html, edit.changes![client.uri(HTML)]!)).toBe(html.replaceAll('customer.', 'client.'));
    // The same file included by a second variant: still one edit per use.
    await client.open(TEMPLATE);
    await client.change(TEMPLATE, disk(TEMPLATE).replace('    subject: "Rechnung', '    html: { file: payment-reminder.en.html }\n    subject: "Rechnung'));
    const twice = (await client.connection.sendRequest(RenameRequest.type, {
      textDocument: { uri: client.uri(JOURNEY) },
      position: client.position(JOURNEY, 'when: customer.segment', 'when: c'.length),
      newName: 'client',
    })) as WorkspaceEdit;
    expect(twice.changes![client.uri(HTML)]).toHaveLength(edit.changes![client.uri(HTML)]!.length);
    expect(applyEdits(html, twice.changes![client.uri(HTML)]!)).toBe(html.replaceAll('customer.', 'client.'));
    await client.change(TEMPLATE, disk(TEMPLATE));
    expect(applyEdits(client.text(JOURNEY), edit.changes![client.uri(JOURNEY)]!)).toBe(client.text(JOURNEY).replace('  customer: {', '  client: {').replace('customer.segment', 'client.segment'));
  });

  it('refuses a name that is taken, built in or no identifier, and is no variable on trigger or a member name', async () => {
    const rename = (newName: string) =>
      client.connection.sendRequest(RenameRequest.type, { textDocument: { uri: client.uri(JOURNEY) }, position: client.position(JOURNEY, 'when: customer.segment', 'when: c'.length), newName });
    await expect(rename('daysLate')).rejects.toMatchObject({ code: -32803, message: expect.stringMatching(/has a variable `daysLate` already/) });
    await expect(rename('trigger')).rejects.toMatchObject({ code: -32803, message: expect.stringMatching(/built-in name/) });
    await expect(rename('my-customer')).rejects.toMatchObject({ code: -32803, message: expect.stringMatching(/not a valid variable name/) });
    expect(await client.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri: client.uri(JOURNEY) }, position: client.position(JOURNEY, 'when: customer.segment', 'when: customer.s'.length) })).toBeNull();
    expect(await refsAt(JOURNEY, 'when: event.amount', 'when: e'.length)).toEqual([]);
  });

  it("reaches a policy's expressions, which see the journey's names too", async () => {
    const URGENT = 'policies/dunning-urgent.policy.yaml';
    await client.open(URGENT);
    await client.change(URGENT, disk(URGENT).replace('channels: [email, sms, letter]', 'channels: [email, sms, letter]\norder: "daysLate > 30 ? [\'letter\', \'email\'] : [\'email\', \'sms\', \'letter\']"'));
    expect((await refsAt(JOURNEY, 'string(daysLate)', 'string(d'.length)).filter((r) => r.startsWith(URGENT))).toHaveLength(1);
    const edit = (await client.connection.sendRequest(RenameRequest.type, {
      textDocument: { uri: client.uri(JOURNEY) },
      position: client.position(JOURNEY, 'string(daysLate)', 'string(d'.length),
      newName: 'lateDays',
    })) as WorkspaceEdit;
    expect(applyEdits(client.text(URGENT), edit.changes![client.uri(URGENT)]!)).toBe(client.text(URGENT).replace('daysLate > 30', 'lateDays > 30'));
    await client.change(URGENT, disk(URGENT));
  });

  it("leaves a section item's field of the same name alone, and refuses when a section's value may hold the name", async () => {
    const journey = client.text(JOURNEY).replace('      daysLate: "daysBetween(trigger.dueDate, now())"\n', '      daysLate: "daysBetween(trigger.dueDate, now())"\n      name: "customer.name"\n');
    const sms = '    body: "Acme FINAL NOTICE: invoice {{trigger.invoiceId}} is {{daysLate}} days late."';
    const final = client.text(FINAL).replace(sms, '    body: "{{#customer}}{{name}}{{/customer}}: {{name}}, invoice {{trigger.invoiceId}} is {{daysLate}} days late."');
    expect(final).not.toBe(client.text(FINAL));
    await client.change(JOURNEY, journey);
    await client.change(FINAL, final);
    const rename = () =>
      client.connection.sendRequest(RenameRequest.type, { textDocument: { uri: client.uri(JOURNEY) }, position: client.position(JOURNEY, '      name: "customer', 6), newName: 'label' }) as Promise<WorkspaceEdit>;
    const edit = await rename();
    // `customer` has a `name` of its own: inside {{#customer}} the tag is the customer's, not the variable.
    expect(applyEdits(final, edit.changes![client.uri(FINAL)]!)).toBe(final.replace(': {{name}},', ': {{label}},'));
    expect(applyEdits(journey, edit.changes![client.uri(JOURNEY)]!)).toBe(journey.replace('      name: "customer', '      label: "customer'));
    // A map's keys are not known: inside {{#subject.contacts}}, `name` may be one.
    await client.change(FINAL, final.replace('{{#customer}}{{name}}{{/customer}}', '{{#subject.contacts}}{{name}}{{/subject.contacts}}'));
    await expect(rename()).rejects.toMatchObject({ code: -32803, message: expect.stringMatching(/`\{\{name\}\}` in `final-notice` is inside a section over a value of unknown type/) });
    await client.change(FINAL, disk(FINAL));
    await client.change(JOURNEY, disk(JOURNEY));
  });

  it('refuses a rename that would change a template another journey sends too, naming it', async () => {
    const other = 'journeys/reminder-copy.journey.yaml';
    await client.open(other, 'journey: reminder-copy\ntrigger: { event: invoice.paid }\nsteps:\n  - send: payment-thanks\n  - send: final-notice\n');
    await expect(
      client.connection.sendRequest(RenameRequest.type, { textDocument: { uri: client.uri(JOURNEY) }, position: client.position(JOURNEY, 'string(daysLate)', 'string(d'.length), newName: 'lateDays' }),
    ).rejects.toMatchObject({ code: -32803, message: expect.stringMatching(/used in `final-notice`, which other journeys use too/) });
    await client.close(other);
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

describe('code lenses of a journey test file', () => {
  const TESTS = 'tests/payment.test.yaml';

  it('runs the file from its `tests:` key and each test from its `- name:` line, with the line the CLI reads as that test', async () => {
    await client.open(TESTS);
    const text = disk(TESTS).split('\n');
    const nameLines = text.flatMap((t, i) => (/^  - name: /.test(t) ? [i] : []));
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: client.uri(TESTS) } });
    expect(lenses).not.toBeNull();
    const [file, ...tests] = lenses!;
    expect(file!.range.start.line).toBe(text.indexOf('tests:'));
    expect(file!.command).toMatchObject({ title: `$(run-all) Run ${nameLines.length} tests`, command: 'herald.runTest', arguments: [client.uri(TESTS)] });
    expect(tests.map((l) => l.range.start.line)).toEqual(nameLines);
    // The argument is 1-based, the line of the test's `- name:`: `herald test tests/payment.test.yaml:<line>`.
    expect(tests.map((l) => l.command!.arguments)).toEqual(nameLines.map((i) => [client.uri(TESTS), i + 1]));
    expect(tests[0]!.command!.title).toMatch(/^\$\(play\) Run test/);
  });

  it('still has them while the file has mistakes (running it says them), and none for other files', async () => {
    await client.change(TESTS, disk(TESTS).replace('    steps:', '    stepz:'));
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: client.uri(TESTS) } });
    expect(lenses!.length).toBeGreaterThan(1);
    await client.close(TESTS);
    await client.open(JOURNEY);
    expect(await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: client.uri(JOURNEY) } })).toEqual([]);
  });
});

describe('renaming a template or policy with a client that renames files', () => {
  let own: string;
  let renaming: LspClient;
  beforeAll(async () => {
    own = copyProject();
    renaming = await LspClient.start(own, { fullCheckDelayMs: 50 }, undefined, { workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] } });
  });
  afterAll(async () => {
    await renaming?.stop();
    if (own) removeProject(own);
  });

  it("renames the file named after the id, after its edits, and leaves a file named otherwise, or whose new name is taken", async () => {
    const thanks = 'templates/payment-thanks.template.yaml';
    await renaming.open(thanks);
    const at = { textDocument: { uri: renaming.uri(thanks) }, position: renaming.position(thanks, 'template: payment-thanks', 'template: p'.length) };
    const edit = (await renaming.connection.sendRequest(RenameRequest.type, { ...at, newName: 'thanks-note' })) as WorkspaceEdit;
    expect(edit.changes).toBeUndefined();
    const ops = edit.documentChanges!;
    // The edits first (to the file by its old name), the rename last.
    expect(ops.at(-1)).toEqual({ kind: 'rename', oldUri: renaming.uri(thanks), newUri: renaming.uri('templates/thanks-note.template.yaml'), options: { overwrite: false } });
    const edited = ops.slice(0, -1) as { textDocument: { uri: string; version: null }; edits: Parameters<typeof applyEdits>[1] }[];
    expect(edited.map((e) => e.textDocument.uri)).toContain(renaming.uri(thanks));
    expect(edited.map((e) => e.textDocument.uri)).toContain(renaming.uri(JOURNEY));
    const inFile = edited.find((e) => e.textDocument.uri === renaming.uri(thanks))!;
    expect(inFile.textDocument.version).toBeNull();
    expect(applyEdits(renaming.text(thanks), inFile.edits)).toBe(renaming.text(thanks).replace('template: payment-thanks', 'template: thanks-note'));

    // A policy whose file is named otherwise keeps its file: plain text edits.
    const policy = 'policies/dunning.policy.yaml';
    await renaming.open(policy);
    const other = 'policies/renamed-on-disk.policy.yaml';
    await renaming.open(other, renaming.text(policy).replace('policy: dunning', 'policy: dunning-copy'));
    const renameAt = async (rel: string, needle: string, newName: string) =>
      (await renaming.connection.sendRequest(RenameRequest.type, { textDocument: { uri: renaming.uri(rel) }, position: renaming.position(rel, needle, 'policy: d'.length), newName })) as WorkspaceEdit;
    const copyEdit = await renameAt(other, 'policy: dunning-copy', 'dunning-two');
    expect(copyEdit.documentChanges).toBeUndefined();
    expect(Object.keys(copyEdit.changes!)).toEqual([renaming.uri(other)]);

    // The new file name taken: no rename of the file.
    const taken = await renameAt(policy, 'policy: dunning\n', 'renamed-on-disk');
    expect(taken.documentChanges).toBeUndefined();
    expect(Object.keys(taken.changes!)).toContain(renaming.uri(policy));
  });
});

describe('workspace symbols and highlights', () => {
  it('finds the definitions of the workspace by a fuzzy query, each with its kind, place and container', async () => {
    const found = (await client.connection.sendRequest(WorkspaceSymbolRequest.type, { query: 'remind' })) as SymbolInformation[];
    const shown = found.map((s) => `${s.name} ${s.kind} ${s.containerName}`);
    expect(shown).toContain(`payment-reminder ${SymbolKind.File} template`);
    expect(shown).toContain(`first-reminder ${SymbolKind.Method} journey invoice-overdue`);
    expect(found.every((s) => /r.*e.*m.*i.*n.*d/i.test(s.name))).toBe(true);
    const step = found.find((s) => s.name === 'first-reminder')!;
    expect(step.location.uri).toBe(client.uri(JOURNEY));
    expect(step.location.range.start).toEqual(client.position(JOURNEY, 'id: first-reminder', 'id: '.length));

    const all = (await client.connection.sendRequest(WorkspaceSymbolRequest.type, { query: '' })) as SymbolInformation[];
    const kinds = new Set(all.map((s) => s.kind));
    for (const k of [SymbolKind.Class, SymbolKind.Method, SymbolKind.File, SymbolKind.Object, SymbolKind.Event, SymbolKind.Interface, SymbolKind.Package, SymbolKind.Function]) expect(kinds, `kind ${k}`).toContain(k);
    expect(all.filter((s) => s.name === 'invoice.overdue' && s.kind === SymbolKind.Event)).toHaveLength(1);
  });

  it('highlights a name in its file: the definition as a write, the uses as reads, a journey variable too', async () => {
    await client.open(JOURNEY);
    const at = (needle: string, delta: number) => ({ textDocument: { uri: client.uri(JOURNEY) }, position: client.position(JOURNEY, needle, delta) });
    const step = await client.connection.sendRequest(DocumentHighlightRequest.type, at('onTimeout: second-notice', 'onTimeout: s'.length));
    expect(step!.map((h) => [h.range.start.line, h.kind]).sort((a, b) => a[0]! - b[0]!)).toEqual([
      [client.position(JOURNEY, 'onTimeout: second-notice').line, DocumentHighlightKind.Read],
      [client.position(JOURNEY, 'id: second-notice').line, DocumentHighlightKind.Write],
    ].sort((a, b) => a[0]! - b[0]!));
    const variable = await client.connection.sendRequest(DocumentHighlightRequest.type, at('when: customer.segment', 'when: c'.length));
    expect(variable!.map((h) => h.kind).sort()).toEqual([DocumentHighlightKind.Read, DocumentHighlightKind.Write].sort());
  });
});

describe('signature help in expressions', () => {
  it("shows the function's signatures inside its call, with the argument being written", async () => {
    await client.open(JOURNEY);
    const at = (needle: string, delta: number) => ({ textDocument: { uri: client.uri(JOURNEY) }, position: client.position(JOURNEY, needle, delta) });
    const second = await client.connection.sendRequest(SignatureHelpRequest.type, at('daysBetween(trigger.dueDate, now())', 'daysBetween(trigger.dueDate, '.length));
    expect(second!.signatures.map((s) => s.label)).toEqual(['daysBetween(from: timestamp, to: timestamp) -> number', 'daysBetween(from: timestamp, to: timestamp, timeZone: string) -> number']);
    expect([second!.activeSignature, second!.activeParameter]).toEqual([0, 1]);
    const [from, to] = second!.signatures[0]!.parameters!.map((p) => p.label as [number, number]);
    expect(second!.signatures[0]!.label.slice(...from!)).toBe('from: timestamp');
    expect(second!.signatures[0]!.label.slice(...to!)).toBe('to: timestamp');
    // Inside now(): that call's own, which takes nothing.
    const inner = await client.connection.sendRequest(SignatureHelpRequest.type, at('now())"', 'now('.length));
    expect(inner!.signatures.map((s) => s.label)).toEqual(['now() -> timestamp']);
    // Outside any call, and in a key: nothing.
    expect(await client.connection.sendRequest(SignatureHelpRequest.type, at('when: customer.segment', 'when: cus'.length))).toBeNull();
    expect(await client.connection.sendRequest(SignatureHelpRequest.type, at('  - id: second-notice', 4))).toBeNull();
  });
});
