/**
 * The two custom requests behind the extension's commands (the journey graph and the
 * template preview), and the graph's layout and SVG as the webview receives them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JourneyGraph, TemplatePreview } from '../../vscode-extension/src/shared/protocol.js';
import { graphToSvg, layoutGraph, nodeAtPosition } from '../../vscode-extension/dist/client/graph-svg.js';
import { copyProject, LspClient, removeProject } from './lsp-client.js';

const JOURNEY = 'journeys/invoice-overdue.journey.yaml';
const TEMPLATE = 'templates/payment-reminder.template.yaml';

let root: string;
let client: LspClient;

beforeAll(async () => {
  root = copyProject();
  client = await LspClient.start(root);
  await client.open(JOURNEY);
});

afterAll(async () => {
  await client?.stop();
  if (root) removeProject(root);
});

const graphOf = () => client.connection.sendRequest<JourneyGraph | null>('herald/journeyGraph', { uri: client.uri(JOURNEY) });

describe('journey graph', () => {
  it('is the compiled graph when the project compiles: gotos are edges, every node points at its step', async () => {
    const g = (await graphOf())!;
    expect(g.from).toBe('compiled');
    expect(g.journey).toBe('invoice-overdue');
    const ids = g.nodes.map((n) => n.id);
    expect(ids).toEqual(['@start', 'first-reminder', 'wait-payment', 'second-notice', '#4', '#5', '#6', 'account-manager', 'final-notice', '#9', 'thank-you', '#11']);
    expect(g.edges).toContainEqual({ from: 'wait-payment', to: 'thank-you', label: 'invoice.paid' });
    expect(g.edges).toContainEqual({ from: 'wait-payment', to: 'second-notice', label: 'timeout 7d' });
    expect(g.edges).toContainEqual({ from: '@start', to: 'first-reminder', label: '' });
    const step = g.nodes.find((n) => n.id === 'second-notice')!;
    expect(step.range!.start).toEqual(client.position(JOURNEY, '  - id: second-notice', 4));
    // The cursor inside a step selects its node; on the trigger, the start node.
    expect(nodeAtPosition(g, client.position(JOURNEY, 'daysBetween').line, 10)).toBe('second-notice');
    expect(nodeAtPosition(g, client.position(JOURNEY, 'reentry').line, 4)).toBe('@start');
  });

  it('falls back to the steps as written while the journey has errors', async () => {
    await client.change(JOURNEY, client.text(JOURNEY).replace('goto: account-manager', 'goto: acount-manager'));
    const g = (await graphOf())!;
    expect(g.from).toBe('source');
    expect(g.errors).toBe(1);
    expect(g.nodes.find((n) => n.id === '?acount-manager')?.kind).toBe('missing');
    expect(g.nodes.find((n) => n.id === '#6')?.problems).toBe(1);
    await client.change(JOURNEY, client.text(JOURNEY).replace('goto: acount-manager', 'goto: account-manager'));
  });

  it('lays out as SVG with a node per step', async () => {
    const g = (await graphOf())!;
    const layout = layoutGraph(g);
    expect(layout.nodes).toHaveLength(g.nodes.length);
    for (const n of layout.nodes) expect(Number.isFinite(n.x) && Number.isFinite(n.y)).toBe(true);
    // Top to bottom: the start is above the first step.
    const y = (id: string) => layout.nodes.find((n) => n.id === id)!.y;
    expect(y('@start')).toBeLessThan(y('first-reminder'));
    const svg = graphToSvg(g);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('data-id="wait-payment"');
    expect(svg).toContain('send payment-reminder');
    expect((svg.match(/class="edge"/g) ?? []).length).toBe(layout.edges.length);
  });
});

describe('template preview', () => {
  it('renders every variant with sample data typed by a journey that sends the template', async () => {
    await client.open(TEMPLATE);
    const p = (await client.connection.sendRequest<TemplatePreview | null>('herald/templatePreview', { uri: client.uri(TEMPLATE), data: { customer: { name: 'Grace' } } }))!;
    expect(p.template).toBe('payment-reminder');
    expect(p.journey).toBe('invoice-overdue');
    const text = p.fields.find((f) => f.channel === 'email' && f.locale === 'en' && f.field === 'text')!;
    expect(text.output).toContain('Dear Grace,');
    expect(text.output).toContain('Your Acme billing team');
    expect(text.output).not.toContain('{{');
    const html = p.fields.find((f) => f.channel === 'email' && f.field === 'html')!;
    expect(html.html).toBe(true);
    expect(html.output).toContain('<strong>INV-1001</strong>');
    expect(p.fields.map((f) => `${f.channel}/${f.locale}/${f.field}`)).toEqual(
      expect.arrayContaining(['email/en/subject', 'email/de/text', 'sms/en/body', 'letter/en/html']),
    );
  });
});

describe('template preview sample data', () => {
  it('is what one real message of the journey would see', async () => {
    const p = (await client.connection.sendRequest<TemplatePreview | null>('herald/templatePreview', { uri: client.uri(TEMPLATE) }))!;
    const sample = p.sample as {
      journey: { id: string; instanceId: string; version: string };
      subject: { id: string; locale: string; timezone: string; contacts: Record<string, string>; channels: string[]; optOuts: string[] };
      trigger: { subjectId: string; invoiceId: string };
    };
    expect(sample.journey.id).toBe('invoice-overdue');
    expect(sample.journey.instanceId).toMatch(/^invoice-overdue:/);
    expect(sample.journey.version).toMatch(/^sha256:[0-9a-f]{64}$/);
    // The journey takes its subject from `event.subjectId`: the same id on both sides.
    expect(sample.trigger.subjectId).toBe(sample.subject.id);
    expect(sample.subject.id).not.toBe(sample.trigger.invoiceId);
    // herald.yaml's defaults and channels.
    expect(sample.subject.locale).toBe('en');
    expect(sample.subject.timezone).toBe('Europe/Berlin');
    expect(sample.subject.channels).toEqual(['email', 'sms', 'letter']);
    expect(Object.keys(sample.subject.contacts)).toEqual(['email', 'sms', 'letter']);
    expect(sample.subject.contacts['email']).toMatch(/@/);
    expect(sample.subject.optOuts).toEqual([]);
  });
});
