import { readFileSync } from 'node:fs';
const EX = '/work/main/examples/invoice-dunning';
export function genProject(n) {
  const files = {};
  let cfg = readFileSync(EX + '/herald.yaml', 'utf8');
  files['herald.yaml'] = cfg;
  for (let i = 0; i < n; i++) {
    const id = `j${i}`;
    files[`journeys/${id}.journey.yaml`] = journey(i);
    files[`templates/t${i}.template.yaml`] = `template: t${i}-reminder
description: Reminder ${i}.
email:
  en:
    subject: "Invoice {{trigger.invoiceId}} is overdue"
    text: "Dear {{customer.name}}, invoice {{trigger.invoiceId}} over {{trigger.amount}} {{trigger.currency}} is {{daysLate}} days late."
sms:
  en:
    body: "Acme: invoice {{trigger.invoiceId}} is overdue."
letter:
  en:
    html: "<p>Dear {{customer.name}}, invoice {{trigger.invoiceId}} is overdue.</p>"
`;
    files[`policies/p${i}.policy.yaml`] = `policy: p${i}-policy
category: billing
channels: [email, sms, letter]
order: subject.channels
failover: { on: [failed, bounced, timeout], deliveryTimeout: 2h }
retry: { attempts: 3, backoff: exponential, initial: 30s, max: 10m }
quietHours: { from: "21:00", to: "08:00", timezone: subject.timezone }
dedupe: { key: "trigger.invoiceId + ':' + journey.id", window: 1d }
`;
  }
  return files;
}
export function journey(i, extra = '') {
  return `journey: j${i}-overdue
description: Remind, wait a week for payment, remind again, then escalate (${i}).${extra}
trigger:
  event: invoice.overdue
  subject: event.subjectId
  when: event.amount > ${i % 100}
  reentry: after-exit

data:
  customer: { source: crm, query: customerById, args: { id: trigger.subjectId } }

steps:
  - id: first-reminder
    set:
      daysLate: "daysBetween(trigger.dueDate, now())"
  - send: t${i}-reminder
    policy: p${i}-policy
  - id: wait-payment
    wait: { event: invoice.paid, match: "event.invoiceId == trigger.invoiceId", timeout: 7d }
    onEvent: thank-you
    onTimeout: second-notice
  - id: second-notice
    set:
      daysLate2: "daysBetween(trigger.dueDate, now()) + 1"
  - send: t${i}-reminder
    policy: p${i}-policy
  - wait: { event: invoice.paid, match: "event.invoiceId == trigger.invoiceId", timeout: 7d }
    onEvent: thank-you
  - branch:
      - when: customer.segment == "business" && trigger.amount > 1000
        goto: account-manager
      - when: customer.segment == "consumer" && trigger.amount > 5000
        goto: account-manager
      - else: final-notice
  - id: account-manager
    emit:
      event: invoice.escalated
      data:
        subjectId: trigger.subjectId
        invoiceId: trigger.invoiceId
        reason: "'business customer, ' + string(daysLate) + ' days late'"
  - id: final-notice
    send: t${i}-reminder
    policy: p${i}-policy
  - exit: escalated
  - id: thank-you
    send: t${i}-reminder
    policy: p${i}-policy
  - wait: 1d
  - exit: paid
`;
}
