/**
 * A journey test runs the project's real graph with its plugins swapped: every channel for the
 * capture channel (answering as the test's `outcomes:` say), every source for the fixture
 * source (answering from `fixtures:`). Done on the IR (`use:` and `config:` of each channel and
 * source), so the runtime loads them as it loads any plugin, worker threads included; each
 * channel keeps its declared message kind, so consent and variant choice stay the project's.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Fixture, GraphIR, JourneyTest } from '@herald/dsl';
import type { CaptureConfig } from './capture-channel.js';
import type { FixtureConfig } from './fixture-source.js';

/**
 * The built module next to this one. From src/ (vitest compiles TypeScript on the fly) the
 * dist/ copy is used: plugins may be loaded in worker threads, which run plain JavaScript.
 */
function builtModule(name: string): string {
  const here = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
  if (existsSync(here)) return here;
  const built = here.replace(/([\\/])src([\\/])testing([\\/])([^\\/]+)$/, '$1dist$2testing$3$4');
  if (existsSync(built)) return built;
  throw new Error(`herald test needs the built ${name} (${built}); run \`npx tsc -b runtime\` first`);
}

export interface TestGraph {
  readonly graph: GraphIR;
  /** Fixtures that name no query of the project (a typo would otherwise only show as a failed instance). */
  readonly problems: readonly string[];
}

export function withTestPlugins(ir: GraphIR, test: Pick<JourneyTest, 'fixtures' | 'outcomes'>): TestGraph {
  const capture = builtModule('capture-channel');
  const fixtureSource = builtModule('fixture-source');
  const problems: string[] = [];

  const channels = Object.fromEntries(
    Object.entries(ir.channels).map(([name, ch]) => {
      const o = test.outcomes[name];
      const config: CaptureConfig = o ? { outcome: o.outcome, byAddress: o.byAddress } : {};
      return [name, { ...ch, use: capture, config }];
    }),
  );
  for (const name of Object.keys(test.outcomes)) {
    if (!Object.hasOwn(ir.channels, name)) problems.push(`outcomes: the project has no channel "${name}" (channels: ${Object.keys(ir.channels).join(', ')})`);
  }

  const bySource = new Map<string, Record<string, readonly Fixture[]>>();
  for (const [key, fixtures] of Object.entries(test.fixtures)) {
    const [source = '', query = ''] = key.split('.', 2);
    const declared = ir.sources[source]?.queries;
    if (!declared || !Object.hasOwn(declared, query)) {
      const known = Object.entries(ir.sources).flatMap(([s, def]) => Object.keys(def.queries).map((q) => `${s}.${q}`));
      problems.push(`fixtures: ${key} is not a query of this project (queries: ${known.join(', ') || 'none'})`);
      continue;
    }
    bySource.set(source, { ...bySource.get(source), [query]: fixtures });
  }
  const sources = Object.fromEntries(
    Object.entries(ir.sources).map(([name, src]) => {
      const config: FixtureConfig = { source: name, queries: bySource.get(name) ?? {} };
      return [name, { ...src, use: fixtureSource, config }];
    }),
  );
  return { graph: { ...ir, channels, sources }, problems };
}
