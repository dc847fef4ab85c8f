import { AssertionError } from 'node:assert';

export type ContractCheckStatus = 'passed' | 'failed' | 'skipped';

/** One contract check. `id`s are stable, so a plugin's own tests may look a check up by id. */
export interface ContractCheck {
  readonly id: string;
  readonly title: string;
  readonly status: ContractCheckStatus;
  /** Why it failed or was skipped. */
  readonly detail?: string;
}

export interface ContractReport {
  readonly plugin: string;
  /** True when no check failed (skipped checks do not fail a report). */
  readonly passed: boolean;
  readonly checks: readonly ContractCheck[];
}

/** One line per check: `✓ id — title`, `✗ id — title: detail`, `- id — title (skipped: detail)`. */
export function formatContractReport(report: ContractReport): string {
  const lines = report.checks.map((c) => {
    switch (c.status) {
      case 'passed':
        return `  ✓ ${c.id} — ${c.title}`;
      case 'failed':
        return `  ✗ ${c.id} — ${c.title}: ${c.detail ?? 'failed'}`;
      case 'skipped':
        return `  - ${c.id} — ${c.title} (skipped${c.detail ? `: ${c.detail}` : ''})`;
    }
  });
  return `${report.plugin}: contract ${report.passed ? 'passed' : 'FAILED'}\n${lines.join('\n')}`;
}

/** Throws an AssertionError listing every failed check; returns the report when all passed. */
export function assertContractReport(report: ContractReport): ContractReport {
  if (!report.passed) {
    throw new AssertionError({ message: formatContractReport(report), actual: report.checks, operator: 'contract' });
  }
  return report;
}

/** Collects checks in order; a check body throws to fail (its message becomes the detail). */
export class CheckRecorder {
  readonly checks: ContractCheck[] = [];

  async run(id: string, title: string, body: () => Promise<void> | void): Promise<boolean> {
    try {
      await body();
      this.checks.push({ id, title, status: 'passed' });
      return true;
    } catch (error) {
      this.checks.push({ id, title, status: 'failed', detail: printable(describeError(error)) });
      return false;
    }
  }

  skip(id: string, title: string, detail: string): void {
    this.checks.push({ id, title, status: 'skipped', detail });
  }

  report(plugin: string): ContractReport {
    return { plugin, passed: this.checks.every((c) => c.status !== 'failed'), checks: this.checks };
  }
}

export type Settled<T> =
  | { readonly kind: 'resolved'; readonly value: T; readonly ms: number }
  | { readonly kind: 'rejected'; readonly error: unknown; readonly ms: number }
  | { readonly kind: 'timeout'; readonly ms: number };

/** Waits for a plugin call without ever hanging the test: the call is reported as timed out after `ms`. */
export async function settleWithin<T>(ms: number, call: () => Promise<T> | T): Promise<Settled<T>> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timeout', ms: performance.now() - started }), ms);
  });
  const outcome = (async (): Promise<Settled<T>> => {
    try {
      const value = await call();
      return { kind: 'resolved', value, ms: performance.now() - started };
    } catch (error) {
      return { kind: 'rejected', error, ms: performance.now() - started };
    }
  })();
  try {
    return await Promise.race([outcome, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** What to tell a plugin author whose call rejected or hung: each call has its own rule. */
export interface SettleHints {
  /** Appended to `<what> rejected (<error>)`. */
  readonly rejected: string;
  /** Appended to `<what> did not settle within <n> ms`. */
  readonly timeout: string;
}

/** The value of a settled call, or a thrown Error saying how the call misbehaved and what to do about it. */
export function expectResolved<T>(what: string, settled: Settled<T>, limitMs: number, hints: SettleHints): T {
  switch (settled.kind) {
    case 'resolved':
      return settled.value;
    case 'rejected':
      throw new Error(`${what} rejected (${describeError(settled.error)}); ${hints.rejected}`);
    case 'timeout':
      throw new Error(`${what} did not settle within ${limitMs} ms; ${hints.timeout}`);
  }
}

/** The hints of the calls both contracts make. */
export const CREATE_HINTS: SettleHints = {
  rejected: 'create may throw only for a config that cannot work, and the test config should work: check the `config` option and what it points at',
  timeout: 'create must not wait for a provider that may never answer (the runtime gives up on a create after 30 s): give every call it makes a timeout, or connect on first use',
};

export const CLOSE_HINTS: SettleHints = {
  rejected: 'close() must resolve, also when it is called again: make it idempotent (keep the first call\'s promise and return it, or return early when already closed)',
  timeout: 'close() must finish promptly, also when it is called again (the runtime gives each close() 5 s at shutdown)',
};

/**
 * `text` with its control characters (but newline and tab) escaped as `\u00XX`: a plugin's error
 * may quote the bytes it choked on (a NUL), which would turn the report into binary for tools.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`;
  return String(error);
}
