/**
 * Graph versions. New instances start on the current graph; a running instance stays on the
 * version it started on, so its graph is loaded from the store and compiled the first time an
 * instance of that version needs it, then kept (compiling is the expensive part).
 *
 * Which events an instance keeps for a later `wait` is up to its own version too: after a
 * deploy whose journey no longer waits for a type, an instance on the earlier version still
 * does. So at start (loadGraphCache) the versions active instances run on are loaded as well,
 * and `keepers` answers from every loaded version. A runtime starts instances on its current
 * graph only, so while it runs no other version gains active instances: the set is complete
 * for a store one process writes (the embedded driver's). Processes sharing a store on
 * different versions would each have to learn the others' versions too.
 */
import { shortVersion } from '../engine/describe.js';
import type { GraphIR } from '@herald/dsl';
import type { PluginLogger } from '@herald/plugin-sdk';
import type { Driver } from '../driver/driver.js';
import { compileGraph, type CompiledGraph } from '../engine/compile-graph.js';

export interface GraphCache {
  readonly current: CompiledGraph;
  /** The compiled graph of a version; rejects when the store does not have it (a corrupt store). */
  get(version: string): Promise<CompiledGraph>;
  /** Synchronous lookup of an already loaded version. */
  peek(version: string): CompiledGraph | undefined;
  /**
   * The journeys (ids) with a `wait` for `eventType` in some loaded version (CompiledGraph
   * awaitedBy, all versions together); empty for a type no loaded version waits for. Whether
   * one instance's version waits for it is for that version's graph to say.
   */
  keepers(eventType: string): ReadonlySet<string>;
}

const NONE: ReadonlySet<string> = new Set();

export function createGraphCache(driver: Driver, current: GraphIR): GraphCache {
  const compiled = compileGraph(current);
  const byVersion = new Map<string, CompiledGraph>();
  const loading = new Map<string, Promise<CompiledGraph>>();
  const keepers = new Map<string, Set<string>>();
  const remember = (graph: CompiledGraph): void => {
    byVersion.set(graph.version, graph);
    for (const [type, journeys] of graph.awaitedBy) {
      let ids = keepers.get(type);
      if (!ids) keepers.set(type, (ids = new Set()));
      for (const j of journeys) ids.add(j.id);
    }
  };
  remember(compiled);
  return {
    current: compiled,
    peek: (version) => byVersion.get(version),
    keepers: (eventType) => keepers.get(eventType) ?? NONE,
    get(version) {
      const hit = byVersion.get(version);
      if (hit) return Promise.resolve(hit);
      let pending = loading.get(version);
      if (!pending) {
        pending = (async () => {
          const ir = await driver.loadGraph(version);
          if (!ir) throw new Error(`graph version ${version} is not in the store (instances run on it)`);
          const graph = compileGraph(ir);
          remember(graph);
          return graph;
        })().finally(() => loading.delete(version));
        loading.set(version, pending);
      }
      return pending;
    },
  };
}

/**
 * A graph cache with the versions of the store's active instances loaded: one scan of them at
 * start (Driver.activeVersions), instead of a look at the subject's instances for every event
 * of a type only an earlier version waits for. A version that does not load is left to its
 * instances' jobs, which fail on it the same way.
 */
export async function loadGraphCache(driver: Driver, current: GraphIR, log: PluginLogger): Promise<GraphCache> {
  const cache = createGraphCache(driver, current);
  for (const version of await driver.activeVersions()) {
    try {
      const graph = await cache.get(version);
      const gone = channelsGone(graph.ir, current);
      if (gone.length > 0) log.warn(channelsGoneMessage(version, gone, current));
    } catch (error) {
      log.warn(`herald: graph ${shortVersion(version)} of active instances does not load: ${(error as Error).message}`);
    }
  }
  return cache;
}

/**
 * The channels an earlier version's policies send on that the current graph no longer has.
 * Instances keep their journeys, templates and policies, but channels are the deployment's:
 * the plugins loaded are the current graph's, so a message of such an instance on one of those
 * channels fails ("no channel ... is configured"). Said once at start, where it can be acted on.
 */
export function channelsGone(earlier: GraphIR, current: GraphIR): string[] {
  const used = new Set(Object.values(earlier.policies).flatMap((p) => p.channels));
  return [...used].filter((c) => !Object.hasOwn(current.channels, c)).sort();
}

function channelsGoneMessage(version: string, gone: readonly string[], current: GraphIR): string {
  const names = gone.map((c) => `\`${c}\``).join(', ');
  return (
    `herald: active instances on graph ${shortVersion(version)} send on ${gone.length === 1 ? 'channel' : 'channels'} ${names}, which this project no longer configures ` +
    `(it has ${Object.keys(current.channels).map((c) => `\`${c}\``).join(', ') || 'none'}): their messages on ${gone.length === 1 ? 'it' : 'them'} will fail. ` +
    `Keep the old channel name configured until those instances end (docs/operations.md, "Deploying a change")`
  );
}
