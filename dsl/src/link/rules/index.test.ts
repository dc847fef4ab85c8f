import { describe, expect, it } from 'vitest';
import { CODES, codeInfo } from '../../diagnostics/codes.js';
import { Reporter, type Problem } from '../../diagnostics/report.js';
import { SourceFile } from '../../source/source-file.js';
import { LINK_RULES, runLinkRules } from './index.js';
import { BASE_CONFIG, buildTestProject, describeProblem } from './test-project.js';

const CLEAN = {
  'herald.yaml': BASE_CONFIG.replace('defaults:\n', 'defaults:\n  locale: en\n'),
  'invoice-overdue.journey.yaml': `journey: invoice-overdue
trigger:
  event: invoice.overdue
  subject: event.customerId
data:
  customer: { source: crm, query: customerById, args: { id: event.customerId } }
steps:
  - send: payment-reminder
    policy: dunning
  - wait: { event: invoice.paid, match: "event.invoiceId == trigger.invoiceId", timeout: 7d, as: payment }
    onEvent: thanks
    onTimeout: second-notice
  - id: second-notice
    branch:
      - when: customer.segment == "business"
        goto: escalate
      - else: final
  - id: escalate
    emit: { event: reminder.sent, data: { invoiceId: trigger.invoiceId } }
  - id: final
    send: payment-reminder
  - exit: unpaid
  - id: thanks
    send: payment-reminder
    policy: standard
`,
  'payment-reminder.template.yaml': `template: payment-reminder
email:
  en: { subject: "Invoice {{trigger.invoiceId}}", text: "Please pay." }
  de: { subject: "Rechnung {{trigger.invoiceId}}", html: "<p>Bitte zahlen.</p>" }
sms:
  en: { body: "Please pay {{trigger.invoiceId}}." }
`,
  'standard.policy.yaml': 'policy: standard\nchannels: [email]\n',
  'dunning.policy.yaml': 'policy: dunning\nchannels: [email, sms, log]\nretry: { attempts: 3 }\n',
};

function runAll(files: Record<string, string>): Problem[] {
  const { model } = buildTestProject(files);
  const problems: Problem[] = [];
  runLinkRules(model, (p) => problems.push(p));
  return problems;
}

describe('runLinkRules', () => {
  it('has nothing to say about a sound project', () => {
    expect(runAll(CLEAN).map((p) => describeProblem(CLEAN, p))).toEqual([]);
  });

  it('runs every rule, and every code it reports is a registered link code', () => {
    const broken = {
      ...CLEAN,
      'invoice-overdue.journey.yaml': CLEAN['invoice-overdue.journey.yaml']
        .replace('send: payment-reminder\n    policy: dunning', 'send: payment-remindr\n    policy: duning')
        .replace('goto: escalate', 'goto: escalat')
        .replace(', timeout: 7d, as: payment }', ', as: event }'),
      'other.journey.yaml': 'journey: invoice-overdue\ntrigger: { event: invoice.due }\nsteps:\n  - id: a\n    set: { x: "1" }\n  - goto: a\n  - exit: never\n',
    };
    const codes = runAll(broken).map((p) => p.code);
    expect(new Set(codes)).toEqual(
      new Set([
        'unknown-template',
        'unknown-policy',
        'unknown-step',
        'reserved-name',
        'wait-without-timeout',
        'duplicate-id',
        'unknown-event',
        'loop-without-wait',
        'unreachable-step',
        'unused-policy',
      ]),
    );
    for (const code of codes) {
      expect(code in CODES, code).toBe(true);
      expect(codeInfo(code).stage).toBe('link');
    }
  });

  it('reports into a Reporter as well as into a function', () => {
    const files = { ...CLEAN, 'standard.policy.yaml': 'policy: standard\nchannels: [fax]\n' };
    const { model, files: all } = buildTestProject(files);
    const reporter = new Reporter((path) => (all[path] === undefined ? undefined : new SourceFile(path, all[path]!)));
    runLinkRules(model, reporter);
    expect(reporter.diagnostics).toEqual([
      expect.objectContaining({ code: 'unknown-channel', file: 'standard.policy.yaml', range: expect.objectContaining({ start: { line: 2, column: 12, offset: 28 } }) }),
    ]);
  });

  it('lists each rule once', () => {
    expect(new Set(LINK_RULES).size).toBe(LINK_RULES.length);
  });
});
