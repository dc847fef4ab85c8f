/**
 * @herald/channel-log: a channel that writes instead of sending. Each message becomes one JSON
 * line (a "log record") in a file, or on stdout. Its manifest declares `"message": "any"`: it
 * accepts every template variant kind (email, sms, push, webhook, letter, a plugin's own), which
 * makes it a drop-in stand-in for any channel in development and tests.
 *
 * Records hold the rendered content, so they hold personal data: keep log files out of Git and
 * of shared storage.
 */
import { mkdir, open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { aborted, defineChannel, delivered, failed, loadManifest } from '@herald/plugin-sdk';
import type { MessageContent, OutboundMessage, SendContext } from '@herald/plugin-sdk';

export interface LogConfig {
  /** File to append to; omitted or `-` means stdout. */
  readonly path?: string;
}

/** One line of output. Stable field names: tests and tools parse them. */
export interface LogRecord {
  readonly time: string;
  readonly idempotencyKey: string;
  readonly messageId: string;
  readonly attempt: number;
  readonly channel: string;
  readonly kind: string;
  readonly to: string;
  readonly locale: string;
  readonly subjectId: string;
  readonly journey: string;
  readonly step: string;
  readonly category?: string;
  readonly content: MessageContent;
  readonly headers?: Readonly<Record<string, string>>;
  readonly metadata: Readonly<Record<string, string>>;
}

const manifest = loadManifest(new URL('../herald-plugin.json', import.meta.url), 'channel');

export function toLogRecord(message: OutboundMessage<MessageContent>, ctx: SendContext): LogRecord {
  return {
    time: new Date(ctx.clock.now()).toISOString(),
    idempotencyKey: ctx.idempotencyKey,
    messageId: ctx.messageId,
    attempt: ctx.attempt,
    channel: message.channel,
    kind: message.kind,
    to: message.to,
    locale: message.locale,
    subjectId: message.subjectId,
    journey: message.journey,
    step: message.step,
    ...(message.category === undefined ? {} : { category: message.category }),
    content: message.content,
    ...(message.headers === undefined ? {} : { headers: message.headers }),
    metadata: message.metadata,
  };
}

interface LineSink {
  write(line: string): Promise<void>;
  close(): Promise<void>;
}

async function openFile(path: string): Promise<LineSink> {
  const file = resolve(path);
  await mkdir(dirname(file), { recursive: true });
  const handle: FileHandle = await open(file, 'a');
  // One write per line, one at a time: lines from concurrent sends never interleave.
  let tail: Promise<unknown> = Promise.resolve();
  return {
    write(line) {
      const next = tail.then(() => handle.write(line)).then(() => undefined);
      tail = next.catch(() => undefined);
      return next;
    },
    async close() {
      await tail;
      await handle.close();
    },
  };
}

const stdoutSink: LineSink = {
  write: (line) =>
    new Promise<void>((done, fail) => {
      process.stdout.write(line, (error) => (error ? fail(error) : done()));
    }),
  close: async () => {},
};

export default defineChannel<LogConfig, MessageContent>({
  manifest,
  async create(config, pluginCtx) {
    const toStdout = config.path === undefined || config.path === '-';
    const sink = toStdout ? stdoutSink : await openFile(config.path!);
    pluginCtx.logger.debug('log channel: writing messages', { to: toStdout ? 'stdout' : config.path });
    let closing: Promise<void> | undefined;

    return {
      async send(message, ctx) {
        if (ctx.signal.aborted) return aborted(ctx.signal);
        if (closing) return failed.retryable('the log channel is closed', { code: 'CLOSED' });
        try {
          await sink.write(`${JSON.stringify(toLogRecord(message, ctx))}\n`);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          return failed.retryable(`could not write the log record: ${(error as Error).message}`, { code: code ?? 'EIO' });
        }
        // The idempotency key is the receipt: a retried send is found under the same id.
        return delivered({ providerMessageId: ctx.idempotencyKey });
      },

      close() {
        closing ??= sink.close();
        return closing;
      },
    };
  },
});
