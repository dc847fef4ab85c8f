/**
 * Whether the CLI colours what it writes to a stream: every command decides it here, so
 * `--no-color`, `NO_COLOR` and a stream that is not a terminal mean plain text everywhere
 * (docs/cli.md). `NO_COLOR` counts when set to any non-empty value (https://no-color.org);
 * set but empty, it is as if unset.
 */

/** `flag`: the command's `--no-color` (commander's `color`, true unless given); commands without one pass nothing. */
export function useColor(stream: { readonly isTTY?: boolean }, flag = true, env: NodeJS.ProcessEnv = process.env): boolean {
  if (!flag) return false;
  if (env['NO_COLOR']) return false;
  return stream.isTTY === true;
}
