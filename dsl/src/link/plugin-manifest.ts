/**
 * Plugins ship a static `herald-plugin.json`; the compiler reads it without running plugin
 * code, so validation and editor completion are deterministic and safe.
 */
import { posix } from 'node:path';

export interface PluginManifest {
  readonly name: string;
  readonly kind: 'channel' | 'source';
  readonly version?: string;
  /** Channels: the message kind they take (email, sms, push, webhook, letter, or `any`). */
  readonly message?: string;
  readonly configSchema?: Record<string, unknown>;
  readonly querySchema?: Record<string, unknown>;
  readonly description?: string;
}

export type ManifestResult =
  | { readonly ok: true; readonly manifest: PluginManifest; readonly path: string }
  | { readonly ok: false; readonly reason: string; readonly invalid?: boolean };

/** Reads a file by absolute path; what the compiler is given instead of doing I/O itself. */
export type ReadAbsolute = (absolutePath: string) => string | undefined;

/** Find and read the manifest of `use` (a package name or a `./path`) as Node would resolve it from the project root. */
export function resolvePluginManifest(
  use: string,
  projectRoot: string,
  read: ReadAbsolute,
  /** Further folders holding node_modules (e.g. the CLI's own install, for the bundled @herald/* plugins). */
  fallbackRoots: readonly string[] = [],
): ManifestResult {
  const candidates: string[] = [];
  if (use.startsWith('.') || use.startsWith('/')) {
    candidates.push(posix.join(posix.resolve(projectRoot, use), 'herald-plugin.json'));
  } else {
    let dir = posix.resolve(projectRoot);
    for (;;) {
      candidates.push(posix.join(dir, 'node_modules', use, 'herald-plugin.json'));
      const parent = posix.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    for (const r of fallbackRoots) candidates.push(posix.join(r, 'node_modules', use, 'herald-plugin.json'));
  }
  for (const path of candidates) {
    const text = read(path);
    if (text === undefined) continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      return { ok: false, invalid: true, reason: `${path} is not valid JSON: ${(e as Error).message}` };
    }
    const m = json as Partial<PluginManifest>;
    if (!m || typeof m !== 'object' || Array.isArray(m)) return { ok: false, invalid: true, reason: `${path} must hold a JSON object` };
    // Say which field is wrong: "needs name and kind" for a misspelt kind sends the author looking at name.
    if (typeof m.name !== 'string') return { ok: false, invalid: true, reason: `${path} needs \`name\` (the package name, a string)` };
    if (m.kind !== 'channel' && m.kind !== 'source') {
      const got = m.kind === undefined ? 'it has none' : `got ${JSON.stringify(m.kind)}`;
      return { ok: false, invalid: true, reason: `${path}: \`kind\` must be "channel" or "source", ${got}` };
    }
    if (m.kind === 'channel' && typeof m.message !== 'string') {
      return { ok: false, invalid: true, reason: `${path}: a channel plugin's manifest needs \`message\` (its message kind)` };
    }
    return { ok: true, manifest: m as PluginManifest, path };
  }
  return {
    ok: false,
    reason: use.startsWith('.') ? `no herald-plugin.json in \`${use}\`` : `package \`${use}\` is not installed (no node_modules/${use}/herald-plugin.json above the project)`,
  };
}
