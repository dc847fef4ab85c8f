// Writes a synthetic project of N journeys (~60 lines each) with their templates and policies,
// shaped like examples/invoice-dunning, for the compile and editor benchmarks.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function journeyText(i) {
  return `journey: journey-${i}
description: Synthetic journey ${i} for benchmarks.
trigger:
  event: invoice.overdue
  subject: event.subjectId
  when: event.amount > ${i % 100}
  reentry: after-exit
data:
  customer: { source: crm, query: customerById, args: { id: trigger.subjectId } }
steps:
  - id: first
    send: template-${i}
    policy: policy-${i % 50}
  - id: wait-payment
    wait: { event: invoice.paid, match: "event.invoiceId == trigger.invoiceId", timeout: 7d, as: payment }
    onEvent: thanks
    onTimeout: second
  - id: second
    set:
      daysLate: "daysBetween(trigger.dueDate, now())"
      big: trigger.amount > 1000 && customer.segment == "business"
      label: "'INV-' + trigger.invoiceId"
  - send: template-${i}
    policy: policy-${(i + 1) % 50}
  - wait: { event: invoice.paid, match: "event.invoiceId == trigger.invoiceId", timeout: 3d }
    onEvent: thanks
    onTimeout: decide
  - id: decide
    branch:
      - when: big && daysLate > 10
        goto: escalate
      - when: customer.segment == "consumer"
        goto: final
      - else: final
  - id: escalate
    emit:
      event: invoice.escalated
      data:
        subjectId: trigger.subjectId
        invoiceId: trigger.invoiceId
        reason: "label + ' is ' + string(daysLate) + ' days late'"
  - wait: 1d
  - id: final
    send: template-${i}
    policy: policy-${i % 50}
  - split:
      - weight: 50
        goto: end-a
      - weight: 50
        goto: end-b
  - id: end-a
    exit: escalated-a
  - id: end-b
    exit: escalated-b
  - id: thanks
    send: template-${i}
  - exit: paid
`;
}

export function templateText(i) {
  return `template: template-${i}
fallbackLocale: en
email:
  en:
    subject: "Invoice {{trigger.invoiceId}} ({{trigger.amount}} {{trigger.currency}})"
    html: "<p>Dear {{customer.name}},</p><p>invoice {{trigger.invoiceId}} was due on {{trigger.dueDate}}.</p>{{#customer.accountManager}}<p>{{customer.accountManager}}</p>{{/customer.accountManager}}"
    text: "Dear {{customer.name}}, invoice {{trigger.invoiceId}} is overdue."
sms:
  en:
    body: "Invoice {{trigger.invoiceId}} is overdue ({{trigger.amount}} {{trigger.currency}})."
letter:
  en:
    html: "<h1>Reminder</h1><p>{{customer.name}}</p>"
`;
}

export function policyText(i) {
  return `policy: policy-${i}
category: billing
channels: [email, sms, letter]
order: subject.channels
failover: { on: [failed, bounced, timeout], deliveryTimeout: 2h }
retry: { attempts: 3, backoff: exponential, initial: 30s, max: 10m }
quietHours: { from: "21:00", to: "08:00" }
dedupe: { key: "trigger.invoiceId", window: 1d }
`;
}

export const CONFIG = `project: bench
defaults: { locale: en, timezone: Europe/Berlin, policy: policy-0 }
channels:
  email:
    use: "@herald/channel-email"
    config: { host: localhost, port: 2525, from: "b@example.com" }
  sms: { use: "@herald/channel-log" }
  letter: { use: "@herald/channel-log" }
sources:
  crm:
    use: "@herald/source-file"
    config: { path: crm.json }
    queries:
      customerById:
        args: { id: string }
        with: { collection: customers, key: id }
        returns: { name: string, segment: string, accountManager: string? }
events:
  invoice.overdue:
    fields: { subjectId: string, invoiceId: string, amount: number, currency: string, dueDate: timestamp }
  invoice.paid:
    fields: { subjectId: string, invoiceId: string }
  invoice.escalated:
    fields: { subjectId: string, invoiceId: string, reason: string }
`;

/** Files of the project as [relative path, text] pairs. */
export function projectFiles(n) {
  const files = [['herald.yaml', CONFIG]];
  for (let i = 0; i < n; i++) files.push([`journeys/journey-${i}.journey.yaml`, journeyText(i)], [`templates/template-${i}.template.yaml`, templateText(i)]);
  for (let i = 0; i < 50; i++) files.push([`policies/policy-${i}.policy.yaml`, policyText(i)]);
  return files;
}

export function writeProject(dir, n) {
  for (const [rel, text] of projectFiles(n)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}
