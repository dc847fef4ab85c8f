/**
 * The API's logger in `herald dev`: errors only, as text in the dev terminal. A 500 answers
 * "the server log has the details"; in dev the terminal is that log, so the error and its
 * stack are printed there, between the catcher's and the policy's lines. Requests that went
 * well are not logged: the decision lines already say what each event led to.
 */
import { pino, type Logger } from 'pino';

interface LogEntry {
  readonly msg?: string;
  /** `GET /instances/:id`, as api-error.ts logs a failed request. */
  readonly route?: string;
  readonly err?: { readonly message?: string; readonly stack?: string };
}

function format(json: string): string {
  let entry: LogEntry;
  try {
    entry = JSON.parse(json) as LogEntry;
  } catch {
    return `herald dev: API ${json.trimEnd()}`;
  }
  const detail = entry.err?.stack ?? entry.err?.message;
  return `herald dev: API ${entry.msg ?? 'error'}${entry.route ? ` (${entry.route})` : ''}${detail ? `\n${detail.replace(/^/gm, '  ')}` : ''}`;
}

export function devApiLogger(say: (line: string) => void): Logger {
  return pino({ level: 'error', base: null, timestamp: false }, { write: (json: string) => say(format(json)) });
}
