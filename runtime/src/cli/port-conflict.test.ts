import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensurePortFree, portError } from './port-conflict.js';
import { heraldInProcess } from '../../../test/helpers/herald-in-process.js';

const example = fileURLToPath(new URL('../../../examples/invoice-dunning', import.meta.url));
const api = (port: number) => ({ port, host: '127.0.0.1', what: 'the API', flag: '--port' });

describe('a port in use', () => {
  let taken: Server;
  let busy: number;
  const scratch = mkdtempSync(join(tmpdir(), 'herald-ports-'));
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    busy = (taken.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => taken.close(resolve));
    rmSync(scratch, { recursive: true, force: true });
  });

  it('is one line naming the port, what wanted it and the flag that picks another', async () => {
    const expected = `port ${busy} on 127.0.0.1 (the API) is in use by another program; choose another with --port <port> (0 for any free port)`;
    await expect(ensurePortFree(api(busy))).rejects.toThrow(expected);
    // What listen itself throws when the port was taken after the look.
    const listenError = await new Promise<Error>((resolve) => createServer().once('error', resolve).listen(busy, '127.0.0.1'));
    expect((portError(listenError, api(busy)) as Error).message).toBe(expected);
    const other = new Error('boom');
    expect(portError(other, api(busy))).toBe(other);
    await expect(ensurePortFree(api(0))).resolves.toBeUndefined();
  });

  it('names --host when the address is not one of this machine (EADDRNOTAVAIL) or resolves to none (ENOTFOUND)', async () => {
    // 192.0.2.1: TEST-NET-1 (RFC 5737), never an address of this machine.
    const use = { port: 0, host: '192.0.2.1', what: 'the API', flag: '--port', hostFlag: '--host' };
    const listenError = await new Promise<Error>((resolve) => createServer().once('error', resolve).listen(0, use.host));
    expect((portError(listenError, use) as Error).message).toBe(
      '--host 192.0.2.1 is not an address of this machine (EADDRNOTAVAIL); listen on 127.0.0.1 (this machine only) or 0.0.0.0 (every interface, as in a container)',
    );
    const unknown = Object.assign(new Error('getaddrinfo ENOTFOUND 999.1.1.1'), { code: 'ENOTFOUND' });
    expect((portError(unknown, { ...use, host: '999.1.1.1' }) as Error).message).toMatch(/^--host 999\.1\.1\.1 is neither an IP address nor a host name this machine can resolve \(getaddrinfo ENOTFOUND\); /);
    // Without a flag for it (the mail catcher's fixed address), the address and what it was for.
    expect((portError(listenError, { port: 0, host: '192.0.2.1', what: 'the mail catcher', flag: '--smtp-port' }) as Error).message).toMatch(
      /^address 192\.0\.2\.1 \(the mail catcher\) is not an address of this machine/,
    );
  });

  it('herald start says so and exits 2, without a stack', async () => {
    const { code, out, err } = await heraldInProcess(['start', example, '--port', String(busy), '--data', join(scratch, 'start.db')]);
    expect(code).toBe(2);
    expect(err).toBe(`herald: port ${busy} on 127.0.0.1 (the API) is in use by another program; choose another with --port <port> (0 for any free port)\n`);
    expect(out).toBe('');
  });
});
