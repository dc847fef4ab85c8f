/**
 * No false alarms: whatever is edited, the diagnostics the server publishes for the edited
 * file are exactly those `Project.check()` reports for it over the whole project. The server
 * answers an edit from a smaller "focus" project (see docs/editor.md); these cases aim at
 * where that could differ: ids shared between journeys, templates sent from several
 * journeys, the default policy, files added and removed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Project } from '@herald/dsl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node.js';
import { copyProject, LspClient, removeProject, REPO } from './lsp-client.js';

const JOURNEY = 'journeys/invoice-overdue.journey.yaml';
const TEMPLATE = 'templates/payment-reminder.template.yaml';
const POLICY = 'policies/dunning.policy.yaml';

let root: string;
let client: LspClient;
/** Texts of open (possibly unsaved or new) files, laid over the disk as the server does. */
const overlays = new Map<string, string>();

function yamlFiles(dir = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir)).sort()) {
    if (['node_modules', '.git', '.herald', 'dist', 'out'].includes(name)) continue;
    const rel = dir ? `${dir}/${name}` : name;
    if (statSync(join(root, rel)).isDirectory()) out.push(...yamlFiles(rel));
    else if (/\.ya?ml$/.test(name)) out.push(rel);
  }
  return out;
}

function expected(file: string) {
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
  for (const rel of new Set([...yamlFiles(), ...overlays.keys()])) p.setFile(rel, overlays.get(rel) ?? readFileSync(join(root, rel), 'utf8'));
  return p
    .check()
    .diagnostics.filter((d) => d.file === file)
    .map((d) => ({ code: d.code, message: d.hint ? `${d.message}\n${d.hint}` : d.message, start: [d.range.start.line - 1, d.range.start.column - 1], end: [d.range.end.line - 1, d.range.end.column - 1] }));
}

function got(p: PublishDiagnosticsParams) {
  return p.diagnostics.map((d) => ({ code: d.code, message: d.message, start: [d.range.start.line, d.range.start.character], end: [d.range.end.line, d.range.end.character] }));
}

async function edit(rel: string, text: string): Promise<void> {
  const first = !overlays.has(rel);
  overlays.set(rel, text);
  const published = first ? await client.open(rel, text) : await client.change(rel, text);
  expect(got(published), rel).toEqual(expected(rel));
}

const disk = (rel: string) => readFileSync(join(root, rel), 'utf8');

beforeAll(async () => {
  root = copyProject();
  client = await LspClient.start(root);
});

afterAll(async () => {
  await client?.stop();
  if (root) removeProject(root);
});

describe('the edited file gets exactly the whole project\'s diagnostics', () => {
  it('journey edits: names, expressions, steps', async () => {
    const j = disk(JOURNEY);
    const cases = [
      j,
      j.replace('send: payment-reminder', 'send: payment-remindr'),
      j.replace('policy: dunning-urgent', 'policy: dunning-urgnt'),
      j.replace('event: invoice.paid', 'event: invoice.payd'),
      j.replace('trigger.amount > 1000', 'trigger.amont > 1000'),
      j.replace('"daysBetween(trigger.dueDate, now())"', '"daysBetween(trigger.dueDate)"'),
      j.replace('onTimeout: second-notice', 'onTimeout: secnd-notice'),
      j.replace('  - id: thank-you\n', '  - id: final-notice\n'),
      j.replace('query: customerById', 'query: customerByName'),
      j.replace('steps:\n', 'steps:\n  - goto: first-reminder\n'),
      j.replace('- else: final-notice', '- when: "true"\n        goto: final-notice'),
      j.replace('    send: final-notice\n    policy: dunning-urgent\n', '    send: final-notice\n'),
      j.replace('reentry: after-exit', 'reentry: sometimes'),
      j.replace('timeout: 7d }', 'timeout: 7 days }'),
      j.replace('steps:', 'steps:\n  - {{'),
      j,
    ];
    for (const text of cases) await edit(JOURNEY, text);
  });

  it('a second journey with the same id: reported on the later file only', async () => {
    await edit('journeys/zz-copy.journey.yaml', disk(JOURNEY));
    await edit('journeys/aa-copy.journey.yaml', disk(JOURNEY));
    // Writing the id another way does not fool the focus check.
    await edit('journeys/aa-copy.journey.yaml', disk(JOURNEY).replace('journey: invoice-overdue', 'journey: "invoice-overdue"  # quoted'));
    await edit('journeys/aa-copy.journey.yaml', disk(JOURNEY).replace('journey: invoice-overdue\n', '').replace('steps:', 'journey: invoice-overdue\nsteps:'));
    await edit('journeys/zz-copy.journey.yaml', disk(JOURNEY).replace('journey: invoice-overdue', 'journey: another-one'));
    await edit(JOURNEY, disk(JOURNEY).replace('journey: invoice-overdue', 'journey: another-one'));
  });

  it('template and policy edits, checked in the scope of every journey that uses them', async () => {
    const t = disk(TEMPLATE);
    for (const text of [
      t.replace('{{customer.name}},\n\n      invoice', '{{customer.nam}},\n\n      invoice'),
      t.replace('{{> signature}}', '{{> signatur}}'),
      t.replace('sms:\n  en:', 'push:\n  en:'),
      t.replace('template: payment-reminder', 'template: final-notice'),
      t.replace('subject: "Invoice {{trigger.invoiceId}} is overdue"', 'subject: "Grüße 😀 {{daysLate}}"'),
      t,
    ]) {
      await edit(TEMPLATE, text);
    }
    const p = disk(POLICY);
    for (const text of [
      p.replace('order: subject.channels', 'order: subject.chanels'),
      p.replace('channels: [email, sms, letter]', 'channels: [email, sms, fax]'),
      p.replace('policy: dunning', 'policy: dunning-urgent'),
      p.replace('quietHours: { from: "21:00"', 'quietHours: { from: "25:00"'),
      p,
    ]) {
      await edit(POLICY, text);
    }
  });
});
