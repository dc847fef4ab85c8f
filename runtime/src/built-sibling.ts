/**
 * The compiled JavaScript file `file` next to the calling module, for worker threads (which
 * load plain JavaScript). When the caller runs from src/ (the test runner compiles TypeScript
 * on the fly), that is the built copy under dist/.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function builtSibling(moduleUrl: string, file: string): string {
  const here = fileURLToPath(new URL(`./${file}`, moduleUrl));
  if (existsSync(here)) return here;
  const built = here.replace(/([\\/])src([\\/])(?!.*[\\/]src[\\/])/, '$1dist$2');
  if (existsSync(built)) return built;
  throw new Error(`${built} is not built; run \`npx tsc -b runtime\` first`);
}
