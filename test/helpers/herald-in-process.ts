import { vi } from 'vitest';
import { runHerald } from '../../runtime/src/cli/program.js';

/**
 * `herald ...args` in this process, as main.ts runs it, from the TypeScript source (the built
 * CLI, `herald()` in cli.ts, runs runtime/dist): what it wrote to stdout and stderr, and the
 * exit code it set.
 */
export async function heraldInProcess(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((out += String(c)), true)),
    vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((err += String(c)), true)),
  ];
  process.exitCode = undefined;
  try {
    await runHerald([...args], 'user');
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { code, out, err };
}
