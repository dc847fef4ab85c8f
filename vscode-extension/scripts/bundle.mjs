/**
 * Builds what the .vsix ships, into out/ and schemas/:
 * - out/extension.js, out/server.js, out/check-worker.js: client, server and the server's
 *   check worker, each one CommonJS file with every dependency bundled (`vscode` is the
 *   editor's own);
 * - out/plugins/node_modules/@herald/*\/herald-plugin.json: the first-party plugins'
 *   manifests, so config checking and completion work without the plugins installed
 *   (the CLI finds them beside its own install the same way);
 * - schemas/*.schema.json: the compiler's file schemas, for `contributes.yamlValidation`.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { FILE_SCHEMAS, SCHEMA_FILE_NAMES } from '@herald/dsl';

const here = dirname(dirname(fileURLToPath(import.meta.url)));
const out = join(here, 'out');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

/**
 * The compiler loads chevrotain's one-file build with `require` at run time (dsl/src/expr/chevrotain.ts,
 * for start-up), which a bundle cannot follow: here that module is a plain re-export, and
 * esbuild inlines chevrotain like any dependency.
 */
const chevrotainInline = {
  name: 'chevrotain-inline',
  setup(b) {
    b.onLoad({ filter: /[\\/]dsl[\\/](src|dist)[\\/]expr[\\/]chevrotain\.(ts|js)$/ }, () => ({
      contents: "export { createToken, CstParser, EOF, Lexer } from 'chevrotain';",
      loader: 'js',
      resolveDir: here,
    }));
  },
};

const common = {
  bundle: true,
  plugins: [chevrotainInline],
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  sourcemap: false,
  minify: false,
  legalComments: 'none',
  logLevel: 'warning',
  // The sources are ES modules that locate files with import.meta.url; in CommonJS that is __filename.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
};

await Promise.all([
  build({ ...common, entryPoints: [join(here, 'src/client/extension.ts')], outfile: join(out, 'extension.js') }),
  build({ ...common, entryPoints: [join(here, 'src/server/main.ts')], outfile: join(out, 'server.js') }),
  build({ ...common, entryPoints: [join(here, 'src/server/check-worker.ts')], outfile: join(out, 'check-worker.js') }),
]);
// The package is "type": "module" (for dist/); the bundles are CommonJS.
writeFileSync(join(out, 'package.json'), JSON.stringify({ type: 'commonjs' }, null, 2) + '\n');

const pluginsDir = join(here, '..', 'plugins');
let manifests = 0;
for (const name of existsSync(pluginsDir) ? readdirSync(pluginsDir).sort() : []) {
  const manifest = join(pluginsDir, name, 'herald-plugin.json');
  const pkg = join(pluginsDir, name, 'package.json');
  if (!existsSync(manifest) || !existsSync(pkg)) continue;
  const pkgName = JSON.parse(readFileSync(pkg, 'utf8')).name;
  const dest = join(out, 'plugins', 'node_modules', ...pkgName.split('/'));
  mkdirSync(dest, { recursive: true });
  cpSync(manifest, join(dest, 'herald-plugin.json'));
  writeFileSync(join(dest, 'package.json'), JSON.stringify({ name: pkgName, private: true }, null, 2) + '\n');
  manifests++;
}

const schemas = join(here, 'schemas');
rmSync(schemas, { recursive: true, force: true });
mkdirSync(schemas, { recursive: true });
for (const [kind, schema] of Object.entries(FILE_SCHEMAS)) {
  writeFileSync(join(schemas, SCHEMA_FILE_NAMES[kind]), JSON.stringify(schema, null, 2) + '\n');
}
console.log(`bundled out/extension.js, out/server.js, out/check-worker.js; ${manifests} plugin manifests; ${Object.keys(FILE_SCHEMAS).length} schemas`);
