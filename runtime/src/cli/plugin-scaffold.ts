/**
 * The files of a new plugin (`herald plugin new`), as text by path: a working plugin that talks
 * to an HTTP API at `config.endpoint` — a channel POSTs each message as JSON with its idempotency
 * key, a source GETs `<endpoint>/<query>?<args>` — with its manifest, package, tsconfig and a
 * contract test (the SDK's test kit, under `node --test`, against a local server). The shape is
 * docs/plugins.md's; the plugin developer replaces the HTTP call with the provider's.
 * Pure: the command writes the files.
 */

export type ScaffoldKind = 'channel' | 'source';

export interface ScaffoldOptions {
  readonly kind: ScaffoldKind;
  /** The npm package name: `@acme/channel-fax`, `fax-channel`. */
  readonly name: string;
  /** Channels: the template variant kind it sends (`email`, `sms`, ..., or `any`). */
  readonly message: string;
  /** `@herald/plugin-sdk`'s version or `file:` path, as package.json takes it. */
  readonly sdk: string;
}

/** npm's rules for a package name, the ones a person meets: lower case, URL-safe, an optional scope. */
const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/** Why the name cannot be a package's, or undefined when it can. */
export function packageNameProblem(name: string): string | undefined {
  if (name.length > 214) return 'a package name has at most 214 characters';
  if (!PACKAGE_NAME.test(name)) return 'a package name is lower case letters, digits and `-._~`, optionally scoped (`@acme/channel-fax`)';
  return undefined;
}

/** `fax` of `@acme/channel-fax`: the default folder, and the channel's or source's name in herald.yaml. */
export function shortName(name: string): string {
  const last = name.split('/').pop()!;
  return last.replace(/^(herald-)?(channel|source)-/, '').replace(/-(channel|source)$/, '') || last;
}

export function scaffoldFiles(o: ScaffoldOptions): Map<string, string> {
  const files = new Map<string, string>();
  files.set('herald-plugin.json', `${JSON.stringify(manifest(o), null, 2)}\n`);
  files.set('package.json', `${JSON.stringify(packageJson(o), null, 2)}\n`);
  files.set('tsconfig.json', `${JSON.stringify(TSCONFIG, null, 2)}\n`);
  files.set('src/index.ts', o.kind === 'channel' ? channelSource(o) : sourceSource(o));
  files.set('test/contract.test.mjs', o.kind === 'channel' ? channelTest(o) : sourceTest());
  files.set('.gitignore', 'node_modules/\ndist/\n');
  files.set('README.md', readme(o));
  return files;
}

function manifest(o: ScaffoldOptions): object {
  const configSchema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: {
      endpoint: { type: 'string', format: 'uri', description: 'Base URL of the API, e.g. https://api.example.com/v1' },
      apiKey: { type: 'string', writeOnly: true, description: 'API key. Write "${API_KEY}" in herald.yaml: secrets come from the environment.' },
      timeoutMs: { type: 'integer', minimum: 1, default: 10000, description: 'No answer within this many milliseconds: a retryable failure.' },
    },
    required: ['endpoint'],
    additionalProperties: false,
  };
  return {
    name: o.name,
    kind: o.kind,
    version: '0.1.0',
    description: o.kind === 'channel' ? `Sends messages through ${shortName(o.name)}.` : `Answers queries from ${shortName(o.name)}.`,
    ...(o.kind === 'channel' ? { message: o.message } : {}),
    configSchema,
  };
}

function packageJson(o: ScaffoldOptions): object {
  return {
    name: o.name,
    version: '0.1.0',
    type: 'module',
    exports: {
      '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      './herald-plugin.json': './herald-plugin.json',
      './package.json': './package.json',
    },
    files: ['dist', 'herald-plugin.json'],
    scripts: { build: 'tsc', test: 'tsc && node --test test/' },
    dependencies: { '@herald/plugin-sdk': o.sdk },
    devDependencies: { '@types/node': '^20.19.0', typescript: '^5.9.3' },
  };
}

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2023'],
    types: ['node'],
    strict: true,
    declaration: true,
    skipLibCheck: true,
    rootDir: 'src',
    outDir: 'dist',
  },
  include: ['src/**/*.ts'],
};

const CONFIG_TYPE = `export interface Config {
  readonly endpoint: string;
  readonly apiKey?: string;
  readonly timeoutMs?: number;
}`;

function channelSource(o: ScaffoldOptions): string {
  return `/**
 * ${o.name}: a Herald channel. Each message is POSTed as JSON to \`<endpoint>/messages\`, with its
 * idempotency key in the \`Idempotency-Key\` header, so the provider can drop the second copy of a
 * message Herald sends again after a crash. Replace the request and the answers' mapping with
 * your provider's (docs/plugins.md: DeliveryResult, idempotency, provider callbacks).
 */
import { setMaxListeners } from 'node:events';
import { aborted, defineChannel, delivered, failed, fetchWithin, loadManifest, parseRetryAfter } from '@herald/plugin-sdk';
import type { MessageContent } from '@herald/plugin-sdk';

${CONFIG_TYPE}

// One source of truth: the compiler reads this file, and so does the code.
const manifest = loadManifest(new URL('../herald-plugin.json', import.meta.url), 'channel');

export default defineChannel<Config, MessageContent>({
  manifest,
  create(config) {
    // Aborted by close(): requests in flight stop at once.
    const closing = new AbortController();
    setMaxListeners(0, closing.signal);
    return {
      async send(message, ctx) {
        if (ctx.signal.aborted) return aborted(ctx.signal);
        const outcome = await fetchWithin(
          new URL('messages', config.endpoint.endsWith('/') ? config.endpoint : \`\${config.endpoint}/\`),
          {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'idempotency-key': ctx.idempotencyKey,
              ...(config.apiKey ? { authorization: \`Bearer \${config.apiKey}\` } : {}),
            },
            body: JSON.stringify({ id: ctx.messageId, to: message.to, kind: message.kind, content: message.content, metadata: message.metadata }),
          },
          { signal: ctx.signal, closing: closing.signal, timeoutMs: config.timeoutMs ?? 10_000 },
        );
        if (outcome.kind === 'stopped') return outcome.failure;
        if (outcome.kind === 'error') return failed.retryable(\`network error: \${String((outcome.error as Error)?.message ?? outcome.error)}\`, { code: 'NETWORK' });
        const { response, body } = outcome;
        const detail = \`\${response.status} \${body.slice(0, 200)}\`;
        if (response.ok) {
          // The provider's id for the message, or the Message-ID Herald made for it.
          let id: unknown;
          try {
            id = (JSON.parse(body) as { id?: unknown }).id;
          } catch {
            id = undefined;
          }
          return delivered({ providerMessageId: typeof id === 'string' && id !== '' ? id : ctx.messageId });
        }
        if (response.status === 429 || response.status >= 500) {
          const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), ctx.clock.now());
          return failed.retryable(detail, { code: \`HTTP_\${response.status}\`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
        }
        return failed.permanent(detail, { code: \`HTTP_\${response.status}\` });
      },
      async close() {
        closing.abort();
      },
    };
  },
});
`;
}

function sourceSource(o: ScaffoldOptions): string {
  return `/**
 * ${o.name}: a Herald data source. A query \`customerById\` with \`args: { id: trigger.subjectId }\`
 * is a GET of \`<endpoint>/customerById?id=...\`, whose JSON answer is the query's value: it must
 * match the query's \`returns:\` type in herald.yaml. Replace the request with your API's
 * (docs/plugins.md, "Sources").
 */
import { defineSource, loadManifest, parseRetryAfter, sourceFailed, sourceOk } from '@herald/plugin-sdk';
import type { JsonValue } from '@herald/plugin-sdk';

${CONFIG_TYPE}

const manifest = loadManifest(new URL('../herald-plugin.json', import.meta.url), 'source');

export default defineSource<Config, unknown>({
  manifest,
  create(config) {
    return {
      async query(name, args, _definition, ctx) {
        const url = new URL(encodeURIComponent(name), config.endpoint.endsWith('/') ? config.endpoint : \`\${config.endpoint}/\`);
        for (const [key, value] of Object.entries(args)) url.searchParams.set(key, typeof value === 'string' ? value : JSON.stringify(value));
        let response: Response;
        try {
          response = await fetch(url, {
            headers: config.apiKey ? { authorization: \`Bearer \${config.apiKey}\` } : {},
            signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(config.timeoutMs ?? 10_000)]),
          });
        } catch (error) {
          return sourceFailed.retryable(\`\${name}: \${(error as Error).message}\`);
        }
        // No such record: a value journeys test for (\`customer == null\`), not a failure.
        if (response.status === 404) return sourceOk(null);
        if (response.status === 429 || response.status >= 500) {
          const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), ctx.clock.now());
          return sourceFailed.retryable(\`\${name}: HTTP \${response.status}\`, retryAfterMs !== undefined ? { retryAfterMs } : {});
        }
        if (!response.ok) return sourceFailed.permanent(\`\${name}: HTTP \${response.status}\`);
        try {
          return sourceOk((await response.json()) as JsonValue);
        } catch {
          return sourceFailed.permanent(\`\${name}: the answer is not JSON\`);
        }
      },
    };
  },
});
`;
}

function channelTest(o: ScaffoldOptions): string {
  const kind = o.message === 'any' ? 'email' : o.message;
  return `// The channel contract (the SDK's test kit) against a local stand-in for the provider.
// Run: npm test (builds, then node --test). Keep this test; add your own beside it.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { assertChannelContract } from '@herald/plugin-sdk/test-kit';
import plugin from '../dist/index.js';

/** Bodies the stand-in received, by idempotency key. */
const received = new Map();
let server;
let endpoint;

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const key = req.headers['idempotency-key'];
      const first = !received.has(key);
      if (first) received.set(key, JSON.parse(body));
      res.writeHead(200, { 'content-type': 'application/json' });
      // Like a provider that drops a key it has seen: the same id for the same message.
      res.end(JSON.stringify({ id: \`msg-\${key}\` }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = \`http://127.0.0.1:\${server.address().port}/v1\`;
});
after(() => server.close());

const validMessage = {
  channel: 'main',
  kind: '${kind}',
  to: 'ada@example.com',
  locale: 'en',
  subjectId: 'c-1',
  journey: 'welcome',
  step: 'hello',
  content: ${kind === 'sms' ? "{ body: 'Hello Ada' }" : "{ subject: 'Hello', text: 'Hello Ada' }"},
  metadata: {},
};

test('honours the channel contract', async () => {
  await assertChannelContract(plugin, {
    config: { endpoint },
    validMessage,
    expect: 'delivered',
    stableReceipt: true,
    verifyIdempotency: ([first]) => {
      assert.equal(received.get(first.ctx.idempotencyKey)?.to, 'ada@example.com');
    },
  });
});
`;
}

function sourceTest(): string {
  return `// The source contract (the SDK's test kit) against a local stand-in for the API.
// Run: npm test (builds, then node --test). Keep this test; add your own beside it.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { assertSourceContract } from '@herald/plugin-sdk/test-kit';
import plugin from '../dist/index.js';

let server;
let endpoint;

before(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname !== '/v1/customerById') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: url.searchParams.get('id'), name: 'Ada Lovelace' }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = \`http://127.0.0.1:\${server.address().port}/v1\`;
});
after(() => server.close());

test('honours the source contract', async () => {
  await assertSourceContract(plugin, {
    config: { endpoint },
    query: { name: 'customerById', args: { id: 'c-1' }, definition: {} },
    verifyResult: (result) => {
      assert.deepEqual(result, { ok: true, value: { id: 'c-1', name: 'Ada Lovelace' } });
    },
  });
});
`;
}

function readme(o: ScaffoldOptions): string {
  const short = shortName(o.name);
  const use = o.kind === 'channel'
    ? `channels:\n  ${short}:\n    use: ./plugins/${short}\n    config: { endpoint: https://api.example.com/v1, apiKey: "\${${short.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_API_KEY}" }`
    : `sources:\n  ${short}:\n    use: ./plugins/${short}\n    config: { endpoint: https://api.example.com/v1 }\n    queries:\n      customerById:\n        args: { id: string }\n        returns: { id: string, name: string }`;
  return `# ${o.name}

A Herald ${o.kind} plugin, made by \`herald plugin new\`. The contract and the SDK: Herald's
docs/plugins.md.

\`\`\`sh
npm install
npm test        # builds dist/, then runs the SDK's contract test against a local stand-in
\`\`\`

In a project's \`herald.yaml\` (the path is relative to the project; build the plugin first):

\`\`\`yaml
${use}
\`\`\`
`;
}
