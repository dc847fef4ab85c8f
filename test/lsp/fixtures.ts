/** Generated Herald files for the size and robustness tests (the bench has the same shapes). */

/** A journey of about `lines` lines for examples/invoice-dunning: blocks of 20 steps with unique ids. */
export function bigJourney(lines: number): string {
  const head = `journey: big-journey
description: A generated journey of about ${lines} lines.
trigger:
  event: invoice.overdue
  subject: event.subjectId
  when: event.amount > 0
data:
  customer: { source: crm, query: customerById, args: { id: trigger.subjectId } }
steps:
`;
  const out: string[] = [head];
  let count = head.split('\n').length;
  for (let b = 0; count < lines; b++) {
    const block = `  - id: remind-${b}
    send: payment-reminder
  - id: wait-${b}
    wait: { event: invoice.paid, match: "event.invoiceId == trigger.invoiceId", timeout: 7d }
    onEvent: thanks-${b}
    onTimeout: late-${b}
  - id: late-${b}
    set:
      daysLate${b}: "daysBetween(trigger.dueDate, now())"
  - id: check-${b}
    branch:
      - when: customer.segment == "business" && trigger.amount > ${1000 + b}
        goto: escalate-${b}
      - else: next-${b}
  - id: escalate-${b}
    emit:
      event: invoice.escalated
      data:
        subjectId: trigger.subjectId
        invoiceId: trigger.invoiceId
        reason: "'late ' + string(daysLate${b})"
  - id: thanks-${b}
    send: payment-thanks
  - id: next-${b}
    send: final-notice
    policy: dunning-urgent
`;
    out.push(block);
    count += block.split('\n').length - 1;
  }
  out.push('  - exit: done\n');
  return out.join('');
}

/** A journey that writes its template names through 1,000 anchors and aliases. */
export function anchoredJourney(n: number): string {
  const lines = ['journey: anchored', 'trigger:', '  event: invoice.overdue', 'steps:'];
  for (let i = 0; i < n; i++) {
    lines.push(`  - id: s${i}`, `    send: &t${i} payment-reminder`, `  - send: *t${i}`);
  }
  lines.push('  - exit: done', '');
  return lines.join('\n');
}

/** The classic alias bomb: each level holds ten aliases of the one before. */
export function aliasBomb(levels: number): string {
  const lines = ['journey: bomb', 'trigger: { event: invoice.overdue }', 'description: &l0 "lol"'];
  for (let i = 1; i <= levels; i++) lines.push(`x${i}: &l${i} [${Array.from({ length: 10 }, () => `*l${i - 1}`).join(', ')}]`);
  lines.push('steps:', '  - exit: done', '');
  return lines.join('\n');
}
