/**
 * `@herald/dsl/render`: what the runtime's worker threads need — to render a message, and to
 * prepare a plugin's config (JSON Pointers) — without the rest of the compiler. The full entry loads the expression parser (chevrotain) and the YAML and
 * schema machinery, ~45 MB per thread that renders nothing with them.
 */
export { renderTemplate } from './template/render.js';
export { MESSAGE_KINDS } from './schema/template-schema.js';
// How locale tags compare, shared with the compiler's `missing-fallback-locale` check so the two cannot drift.
export { localePrefixes, normalizeLocale, sameLocale } from './link/locale-tag.js';
// JSON Pointers of config validation errors (runtime/src/plugins-host/prepare-plugin-config.ts).
export { pointerToPath } from './parse/yaml-tree.js';
