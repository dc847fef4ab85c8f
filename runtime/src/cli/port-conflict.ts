/**
 * A port that is taken (or needs root) is a mistake on the command line, not a crash: say
 * which port, whose it was to be, and which flag picks another, instead of a raw
 * `listen EADDRINUSE` with a stack. So is an address to listen on that is not this machine's
 * (`--host 999.1.1.1`: `getaddrinfo ENOTFOUND`, `--host 10.9.9.9`: `EADDRNOTAVAIL`).
 */
import { createServer } from 'node:net';

export interface PortUse {
  readonly port: number;
  readonly host: string;
  /** "the API", "the mail catcher". */
  readonly what: string;
  /** "--port", "--smtp-port". */
  readonly flag: string;
  /** "--host", when the address was given on the command line. */
  readonly hostFlag?: string;
}

const HOST_HINT = 'listen on 127.0.0.1 (this machine only) or 0.0.0.0 (every interface, as in a container)';

/** The error to show for a failed listen: a one-line explanation for a port problem, else `error` itself. */
export function portError(error: unknown, use: PortUse): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const where = `port ${use.port} on ${use.host} (${use.what})`;
  if (code === 'EADDRINUSE') return new Error(`${where} is in use by another program; choose another with ${use.flag} <port> (0 for any free port)`);
  if (code === 'EACCES') return new Error(`${where} needs privileges this process lacks; choose another with ${use.flag} <port> (above 1023, or 0 for any free port)`);
  const host = use.hostFlag ? `${use.hostFlag} ${use.host}` : `address ${use.host} (${use.what})`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NONAME') {
    return new Error(`${host} is neither an IP address nor a host name this machine can resolve (getaddrinfo ${code}); ${HOST_HINT}`);
  }
  if (code === 'EADDRNOTAVAIL') return new Error(`${host} is not an address of this machine (EADDRNOTAVAIL); ${HOST_HINT}`);
  return error;
}

/**
 * Fails now, with portError's message, when the port cannot be listened on: before anything
 * slow or long-lived is started for it. A program may still take it in between; listen's own
 * error goes through portError too.
 */
export async function ensurePortFree(use: PortUse): Promise<void> {
  if (use.port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error) => reject(portError(error, use)));
    probe.listen({ port: use.port, host: use.host, exclusive: true }, () => probe.close(() => resolve()));
  });
}
