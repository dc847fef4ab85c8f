/**
 * A Herald file opened from outside the workspace, with no herald.yaml above it: no project
 * to check its names and types against, so it gets what its own text decides and a note.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol/node.js';
import { copyProject, LspClient, removeProject } from './lsp-client.js';

const LOOSE_JOURNEY = `journey: welcome
trigger:
  event: user.registered
steps:
  - send: welcome-email
    colour: blue
  - wait: 3 days
  - exit: done
`;

let root: string;
let loose: string;
let client: LspClient;
/** The loose file, as a path relative to the workspace (the test client names files that way). */
let rel: string;

beforeAll(async () => {
  root = copyProject();
  loose = mkdtempSync(join(tmpdir(), 'herald-loose-'));
  rel = relative(root, join(loose, 'welcome.journey.yaml'));
  writeFileSync(join(loose, 'welcome.journey.yaml'), LOOSE_JOURNEY);
  // A neighbour nobody opened: a loose file's folder is not a project to read.
  writeFileSync(join(loose, 'broken.policy.yaml'), 'policy: [\n');
  client = await LspClient.start(root, { fullCheckDelayMs: 50 });
});

afterAll(async () => {
  await client?.stop();
  if (root) removeProject(root);
  if (loose) rmSync(loose, { recursive: true, force: true });
});

describe('a journey outside the workspace with no herald.yaml', () => {
  it('gets only what its own text decides, and a note that herald.yaml is missing', async () => {
    const published = await client.open(rel, LOOSE_JOURNEY);
    const codes = published.diagnostics.map((d) => `${d.code}:${d.severity}`);
    // The shape (an unknown key, a malformed duration) but no unknown template, event or policy.
    expect(codes).toEqual(['missing-project-file:3', 'unknown-key:1', 'invalid-duration:1']);
    const note = published.diagnostics[0]!;
    expect(note.range).toEqual({ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    expect(note.message).toMatch(/^no herald\.yaml in this folder or above it/);
    const again = await client.change(rel, LOOSE_JOURNEY.replace('    colour: blue\n', ''));
    expect(again.diagnostics.map((d) => d.code)).toEqual(['missing-project-file', 'invalid-duration']);
  });

  it('still has the editor features that need no project', async () => {
    const h = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri(rel) }, position: client.position(rel, 'wait:', 1) });
    expect((h!.contents as MarkupContent).value.length).toBeGreaterThan(0);
  });

  it('does not read its folder as a project, and clears its diagnostics when closed', async () => {
    await new Promise((r) => setTimeout(r, 500));
    expect(client.diagnostics.has(client.uri(relative(root, join(loose, 'broken.policy.yaml'))))).toBe(false);
    const cleared = client.waitForDiagnostics(rel, (p) => p.diagnostics.length === 0);
    await client.close(rel);
    await cleared;
  });
});
