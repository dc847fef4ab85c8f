/**
 * Everything a project declares, by name: the tables every link rule and the type stage
 * look names up in. Duplicates are kept out (the first wins) and reported by rule-duplicate-ids.
 */
import type { ChannelDecl, ConfigFile, EventDecl, JourneyFile, Located, PolicyFile, SourceDecl, TemplateFile } from '../model/ast.js';
import type { ManifestResult } from './plugin-manifest.js';
import { linkSteps, type LinkStep } from './step-graph.js';

export interface ProjectModel {
  readonly root: string;
  readonly config: ConfigFile | undefined;
  readonly journeys: readonly JourneyFile[];
  readonly templates: readonly TemplateFile[];
  readonly policies: readonly PolicyFile[];
  /** Ids that template files would define but which could not be built (their file has errors). */
  readonly unbuiltTemplates?: readonly Located<string>[];
  /**
   * Journey files that could not be built in full: no journey came of them, or reading them
   * found errors (a step with two kinds, a YAML error...), which may have dropped steps. Their
   * sends are not all in `journeys`, so no template or policy they name can be called unused.
   */
  readonly unbuiltJourneys?: readonly UnbuiltJourney[];
  /**
   * herald.yaml when it is there but could not be built (a YAML error, no `project:`): `config`
   * is undefined, yet its text may still name `defaults.policy`.
   */
  readonly unbuiltConfig?: UnbuiltJourney;
  /** Manifest lookup result per `use:` value. */
  readonly manifests: ReadonlyMap<string, ManifestResult>;
  /**
   * What an absolute path names, for plugin config values that must name a file (`x-herald-file`).
   * Absent when the host cannot look (no `CompilerHost.isFile`): then no such value is judged.
   */
  readonly pathKind?: (absPath: string) => PathKind;
  /**
   * The text of a file by absolute path (a file given to the project first), for plugin config
   * values whose schema marks them `"x-herald-file": "json"`. Absent: their contents are not judged.
   */
  readonly readFile?: (absPath: string, maxBytes?: number) => string | undefined;
}

/** What a path names; files given to the project count as files. */
export type PathKind = 'file' | 'folder' | 'missing';

/** A file that could not be built in full (see `ProjectModel.unbuiltJourneys`, `unbuiltConfig`), with its text. */
export interface UnbuiltJourney {
  readonly file: string;
  readonly text: string;
}

/**
 * Whether a journey file that could not be built in full may name `id` (a template or policy
 * id): its text holds the id as a whole word. Only the text can tell, since the file did not
 * build; a file that does not hold the id cannot send it.
 */
export function mayBeNamedByUnbuiltJourney(model: ProjectModel, id: string): boolean {
  return namesAsWord(model.unbuiltJourneys ?? [], id);
}

/** Whether herald.yaml, which could not be built, may name `id` (as its `defaults.policy`): its text holds the id as a whole word. */
export function mayBeNamedByUnbuiltConfig(model: ProjectModel, id: string): boolean {
  return model.unbuiltConfig !== undefined && namesAsWord([model.unbuiltConfig], id);
}

function namesAsWord(files: readonly UnbuiltJourney[], id: string): boolean {
  if (files.length === 0) return false;
  const word = new RegExp(`(?<![A-Za-z0-9_-])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_-])`);
  return files.some((j) => word.test(j.text));
}

export interface Symbols {
  readonly journeys: ReadonlyMap<string, JourneyFile>;
  readonly templates: ReadonlyMap<string, TemplateFile>;
  /** Templates known to exist but not built, by id: where their broken file names them. None that `templates` has. */
  readonly unbuiltTemplates: ReadonlyMap<string, Located<string>>;
  readonly policies: ReadonlyMap<string, PolicyFile>;
  readonly events: ReadonlyMap<string, EventDecl>;
  readonly channels: ReadonlyMap<string, ChannelDecl>;
  readonly sources: ReadonlyMap<string, SourceDecl>;
  /** Steps of each journey by key (user id or `#n`), those written but not built included (step-graph.ts `linkSteps`). */
  readonly steps: ReadonlyMap<JourneyFile, ReadonlyMap<string, LinkStep>>;
}

function byName<T>(items: readonly T[], name: (t: T) => string): Map<string, T> {
  const m = new Map<string, T>();
  for (const i of items) if (!m.has(name(i))) m.set(name(i), i);
  return m;
}

const stepTables = new WeakMap<JourneyFile, ReadonlyMap<string, LinkStep>>();

function stepsOf(j: JourneyFile): ReadonlyMap<string, LinkStep> {
  let m = stepTables.get(j);
  if (!m) {
    m = byName(linkSteps(j), (s) => s.key);
    stepTables.set(j, m);
  }
  return m;
}

export function buildSymbols(model: ProjectModel): Symbols {
  const cfg = model.config;
  const templates = byName(model.templates, (t) => t.id.value);
  return {
    journeys: byName(model.journeys, (j) => j.id.value),
    templates,
    unbuiltTemplates: byName((model.unbuiltTemplates ?? []).filter((id) => !templates.has(id.value)), (id) => id.value),
    policies: byName(model.policies, (p) => p.id.value),
    events: byName(cfg?.events ?? [], (e) => e.name.value),
    channels: byName(cfg?.channels ?? [], (c) => c.name.value),
    sources: byName(cfg?.sources ?? [], (s) => s.name.value),
    steps: new Map(model.journeys.map((j) => [j, stepsOf(j)])),
  };
}

/** The message kind a channel takes, from its plugin's manifest (undefined when unknown). */
export function channelMessageKind(model: ProjectModel, channel: ChannelDecl): string | undefined {
  const r = model.manifests.get(channel.use.value);
  return r?.ok ? r.manifest.message : undefined;
}
