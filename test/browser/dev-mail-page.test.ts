import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT } from '../helpers/cli.js';
import { middayZone } from '../helpers/daytime.js';
import { freePort, waitFor } from '../helpers/ports.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

describe('herald dev in a real browser', () => {
  let dev: ChildProcess;
  let browser: Browser;
  let api: string;
  const dir = mkdtempSync(join(tmpdir(), 'herald-dev-browser-'));

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (.ci/run does)`);
    const port = await freePort();
    const smtp = await freePort();
    api = `http://127.0.0.1:${port}`;
    dev = spawn(process.execPath, [CLI, 'dev', 'examples/invoice-dunning', '--port', String(port), '--smtp-port', String(smtp), '--data', join(dir, 'dev.db'), '--no-watch', '--exit-after', '120s'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await waitFor(`${api}/healthz`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    dev?.kill('SIGTERM');
  });

  it('an event posted to the API becomes an email the user can open and read', async () => {
    const put = await fetch(`${api}/subjects/c-100`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada Lovelace', contacts: { email: 'ada@example.com' }, timezone: middayZone() }),
    });
    expect(put.status).toBe(200);
    const post = await fetch(`${api}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'invoice.overdue', data: { subjectId: 'c-100', invoiceId: 'INV-42', amount: 120, currency: 'EUR', dueDate: '2026-11-01T00:00:00Z' } }),
    });
    expect(post.status).toBe(202);

    const page = await browser.newPage();
    // The mail arrives asynchronously: reload the list until it shows.
    for (let i = 0; i < 50; i++) {
      await page.goto(`${api}/dev/mail`);
      if ((await page.locator('a', { hasText: 'Invoice INV-42 is overdue' }).count()) > 0) break;
      await page.waitForTimeout(200);
    }
    // Typed with a trailing slash, the address is the list too, not a mail of no number.
    await page.goto(`${api}/dev/mail/`);
    await page.locator('a', { hasText: 'Invoice INV-42 is overdue' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Invoice INV-42 is overdue');
    const body = await page.content();
    expect(body).toContain('ada@example.com');
    // The HTML variant is shown rendered: the customer's name from the CRM data source is in it.
    const frames = page.frames().map((f) => f.url());
    const text = (await Promise.all(page.frames().map((f) => f.textContent('body').catch(() => '')))).join(' ');
    expect(text, `frames: ${frames.join(', ')}`).toContain('Dear Ada Lovelace');
    await page.screenshot({ path: join(dir, 'mail.png'), fullPage: true });
    expect(existsSync(join(dir, 'mail.png'))).toBe(true);

    // The unsubscribe link in the mail's List-Unsubscribe header: visiting it only asks;
    // pressing the button records the opt-out for the message's category.
    const link = /<(http:\/\/127\.0\.0\.1:\d+\/unsubscribe\/[^>]+)>/.exec(body.replace(/&lt;/g, '<').replace(/&gt;/g, '>'))?.[1];
    expect(link).toBeDefined();
    await page.goto(link!);
    expect(await page.textContent('body')).toContain('Stop receiving billing messages?');
    expect(((await (await fetch(`${api}/subjects/c-100`)).json()) as { optOuts: string[] }).optOuts).toEqual([]);
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await expect.poll(async () => ((await (await fetch(`${api}/subjects/c-100`)).json()) as { optOuts: string[] }).optOuts).toEqual(['billing']);
  }, 60_000);
});
