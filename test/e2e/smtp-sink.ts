/**
 * A real SMTP server for end-to-end tests (smtp-server): it records every message it accepts
 * (Message-ID, envelope, parsed subject and bodies) and can refuse recipients with a 550, like
 * a mailbox provider refusing an unknown user.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  readonly messageId: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly headers: ReadonlyMap<string, unknown>;
}

export interface SmtpSink {
  readonly host: string;
  readonly port: number;
  readonly mails: ReceivedMail[];
  /** Message-IDs in arrival order (parse: false records only these, cheaply). */
  readonly messageIds: string[];
  /** Recipients refused at RCPT TO with `550 5.1.1 user unknown`. */
  readonly refuse: Set<string>;
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  readonly host?: string;
  /** 0: any free port. */
  readonly port?: number;
  /** Parse each mail with mailparser (subject, bodies); default true. */
  readonly parse?: boolean;
}

const MESSAGE_ID = /^message-id:\s*(<[^>\r\n]+>)/im;

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const host = options.host ?? '127.0.0.1';
  const parse = options.parse ?? true;
  const mails: ReceivedMail[] = [];
  const messageIds: string[] = [];
  const refuse = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    maxClients: 1000,
    onRcptTo(address, _session, callback) {
      if (refuse.has(address.address)) {
        const error = new Error('5.1.1 user unknown') as Error & { responseCode: number };
        error.responseCode = 550;
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', callback);
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const head = raw.subarray(0, Math.min(raw.length, 8192)).toString('latin1').split(/\r?\n\r?\n/)[0] ?? '';
        const messageId = MESSAGE_ID.exec(head)?.[1] ?? '';
        messageIds.push(messageId);
        if (!parse) return callback();
        simpleParser(raw)
          .then((mail) => {
            mails.push({
              messageId,
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: mail.subject ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
              text: mail.text ?? '',
              headers: mail.headers,
            });
            callback();
          })
          .catch(callback);
      });
    },
  });
  // A client killed mid-conversation resets its connection: expected here, not a test failure.
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    host,
    port,
    mails,
    messageIds,
    refuse,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
