/**
 * `herald send-event <type> --data '<json>'`: post one event to a running Herald API and
 * print its id, or the field errors that refused it (exit 1).
 */
import type { Command } from 'commander';
import { apiTarget, callApi, formatApiError, TOKEN_OPTION_HELP, URL_OPTION_HELP } from '../../api/api-client.js';
import { readInputFile } from '../read-input-file.js';

interface SendEventOptions {
  readonly data: string;
  readonly id?: string;
  readonly url?: string;
  readonly token?: string;
  readonly json?: boolean;
}

/** `--data '{"a":1}'`, or `--data @event.json` to read a file (`@-` for stdin). */
function readData(text: string): unknown {
  let raw = text;
  if (text.startsWith('@')) {
    try {
      raw = readInputFile(text.slice(1));
    } catch (error) {
      throw new Error(`--data ${text}: ${(error as Error).message}`);
    }
  }
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new Error(`--data is not valid JSON: ${(error as Error).message}`);
  }
}

export function registerSendEventCommand(program: Command): void {
  program
    .command('send-event')
    .description('post an event to a running Herald (herald dev / herald start) and print the result')
    .argument('<type>', 'event type, as declared under events: in herald.yaml')
    .requiredOption('-d, --data <json>', "the event's data as JSON, or @file.json")
    .option('--id <id>', 'event id: posting the same id again is answered as a duplicate and not run twice')
    .option('--url <url>', URL_OPTION_HELP)
    .option('--token <token>', TOKEN_OPTION_HELP)
    .option('--json', 'print the API response as JSON')
    .action(async (type: string, opts: SendEventOptions) => {
      const event = { type, data: readData(opts.data), ...(opts.id ? { id: opts.id } : {}) };
      const target = apiTarget(opts);
      const res = await callApi(target, 'POST', '/events', event);
      if (opts.json) process.stdout.write(`${JSON.stringify(res.body, null, 2)}\n`);
      if (res.status !== 202) {
        // With the target, a 401 says whether the token given is the wrong one or none was given.
        if (!opts.json) process.stderr.write(`${formatApiError(res, target)}\n`);
        process.exitCode = 1;
        return;
      }
      const body = res.body as { eventId: string; duplicate: boolean };
      if (!opts.json) process.stdout.write(`${type} ${body.duplicate ? 'was already received' : 'accepted'} (event id ${body.eventId})\n`);
    });
}
