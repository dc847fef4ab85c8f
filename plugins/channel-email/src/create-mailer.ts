import net from 'node:net';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { DEFAULT_TIMEOUT_MS } from './email-config.js';
import type { EmailConfig } from './email-config.js';

/** What we keep of nodemailer's answer: the Message-ID and the server's final reply (`250 OK: queued as ...`). */
export interface SentInfo {
  readonly messageId: string;
  readonly response: string;
}

/** Sends one mail, giving up (and, without a pool, closing the connection) when `signal` aborts. */
export interface Mailer {
  send(mail: Mail.Options, signal: AbortSignal): Promise<SentInfo>;
  close(): void;
}

/**
 * Without a pool, each send gets its own transport whose socket we open ourselves (nodemailer's
 * `getSocket` hook), so an abort destroys that socket at once instead of leaving the SMTP
 * conversation running after the runtime has given up on it. With a pool, connections are shared
 * between sends and cannot be cut for one of them: an aborted send stops waiting, and the
 * deterministic Message-ID lets receivers recognise the retry should the first one land.
 */
export function createMailer(config: EmailConfig): Mailer {
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const host = config.host ?? 'localhost';
  const port = config.port ?? (config.secure ? 465 : 587);
  const options: SMTPTransport.Options = {
    host,
    port,
    secure: config.secure ?? false,
    requireTLS: config.requireTLS ?? false,
    ...(config.auth ? { auth: { user: config.auth.user, pass: config.auth.pass } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    logger: false,
    disableFileAccess: true,
    disableUrlAccess: true,
  };

  if (config.pool) {
    const never = new AbortController().signal;
    const pooled = nodemailer.createTransport({
      ...options,
      pool: true,
      getSocket: (_options: unknown, callback: SocketCallback) => openSocket(host, port, timeoutMs, never, callback),
    });
    return {
      send: (mail, signal) => untilAborted<SentInfo>(pooled.sendMail(mail), signal),
      close: () => pooled.close(),
    };
  }
  return {
    send(mail, signal) {
      const transport = nodemailer.createTransport({
        ...options,
        getSocket: (_options: unknown, callback: SocketCallback) => openSocket(host, port, timeoutMs, signal, callback),
      });
      return untilAborted<SentInfo>(transport.sendMail(mail), signal);
    },
    close: () => {},
  };
}

type SocketCallback = (err: Error | null, socketOptions?: { connection: net.Socket }) => void;

function openSocket(
  host: string,
  port: number,
  timeoutMs: number,
  signal: AbortSignal,
  callback: SocketCallback,
): void {
  let settled = false;
  const settle = (err: Error | null, socket?: net.Socket) => {
    if (settled) return;
    settled = true;
    if (err) callback(err);
    else callback(null, { connection: socket! });
  };
  if (signal.aborted) return settle(abortError(signal));
  const socket = net.connect({ host, port });
  // SMTP is a chatty request/response protocol: with Nagle's algorithm each message's final
  // `.` waits for the server's delayed ACK (~40 ms), capping a connection at ~20 messages/s.
  socket.setNoDelay(true);
  const onAbort = () => {
    socket.destroy();
    settle(abortError(signal));
  };
  const onTimeout = () => {
    socket.destroy(Object.assign(new Error(`connecting to ${host}:${port} timed out after ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
  };
  signal.addEventListener('abort', onAbort, { once: true });
  socket.once('close', () => signal.removeEventListener('abort', onAbort));
  socket.setTimeout(timeoutMs);
  socket.on('timeout', onTimeout);
  socket.once('error', (err) => settle(err));
  socket.once('connect', () => {
    // From here on nodemailer owns the socket and its own timeouts.
    socket.setTimeout(0);
    socket.off('timeout', onTimeout);
    settle(null, socket);
  });
}

/** Rejects with the abort error as soon as `signal` aborts; otherwise settles as `work` does. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => {}); // the abandoned send must not become an unhandled rejection
    return Promise.reject(abortError(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => {});
      reject(abortError(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('aborted', 'AbortError');
}
