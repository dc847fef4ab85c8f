/**
 * A subject profile update (PUT /subjects/:id) against what the project declares, once its
 * built-in fields are well formed: the project's own fields (herald.yaml `subject.fields`, and
 * what `subject.source` returns) must have values of their declared types; and the channels
 * that `contacts`, `channels` and `optOuts` name must be channels of the project.
 *
 * When the project declares fields of its own, a field it does not declare is refused rather
 * than stored: journeys and templates cannot read it (the compiler refuses `subject.<field>`
 * for a field the type does not have), so it would most likely be a typo that leaves the
 * intended field as it was. A project that declares none keeps whatever a profile carries: it
 * has declared nothing to check a field against, and its profiles may be read by others than
 * its journeys (GET /subjects/:id). An unknown channel is refused for the same reason as an
 * undeclared field: an address or an opt-out under a misspelt channel is never read, and an
 * opt-out never read is a message sent to someone who said no.
 *
 * Opt-outs may also name message categories (a policy's `category`), including ones no policy
 * uses yet, so a bare entry that is neither a channel nor a category is accepted unless it is
 * close to one (did-you-mean): `emial` is refused, `newsletter` kept for the policy to come.
 */
import { BUILTIN_SUBJECT_FIELDS, didYouMean, type GraphIR } from '@herald/dsl';
import { escapePointer } from '../plugins-host/json-validator.js';
import type { FieldError } from '../runtime-api.js';
import { fieldValueProblems } from './value-type-problems.js';

const BUILTIN = new Set(Object.keys(BUILTIN_SUBJECT_FIELDS));

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const quoted = (names: readonly string[]) => names.map((n) => JSON.stringify(n)).join(', ');

/**
 * A problem with what it is about: a `field` of the profile (or its value), a `channel` or a
 * `category` the profile names. An opt-out entry that is neither is about the one its
 * did-you-mean names. Journey tests give each its own code (testing/check-test-subject.ts).
 */
export interface SubjectPatchProblem extends FieldError {
  readonly names: 'field' | 'channel' | 'category';
  /** Set where the key is no field of the profile, for a caller that words that its own way. */
  readonly undeclared?: UndeclaredField;
}

export interface UndeclaredField {
  readonly key: string;
  /** The declared field the key is a near miss of. */
  readonly suggestion?: string;
  /** Every field of the profile, built-in ones included. */
  readonly fields: readonly string[];
}

export interface SubjectPatchOptions {
  /**
   * Where the project declares no fields of its own (or there is no project), still refuse a
   * key close to a declared one (`contact`, `optOut`): a typo. PUT keeps such a key, as any
   * other (see above); a test file refuses it (testing/check-test-subject.ts).
   */
  readonly nearMissesOfBuiltIns?: boolean;
}

/** Paths are JSON Pointers into the request body (`/age`, `/contacts/emial`, `/optOuts/2`). */
export function subjectPatchProblems(graph: GraphIR, patch: unknown): FieldError[] {
  return classifiedSubjectPatchProblems(graph, patch).map(({ path, message }) => ({ path, message }));
}

/** subjectPatchProblems, each with what it is about; without a graph, only near misses of the built-in fields (with `nearMissesOfBuiltIns`). */
export function classifiedSubjectPatchProblems(graph: GraphIR | undefined, patch: unknown, options: SubjectPatchOptions = {}): SubjectPatchProblem[] {
  if (!isPlainObject(patch)) return [];
  return [...(graph ? channelProblems(graph, patch) : []), ...projectFieldProblems(graph, patch, options)];
}

function projectFieldProblems(graph: GraphIR | undefined, patch: Readonly<Record<string, unknown>>, options: SubjectPatchOptions): SubjectPatchProblem[] {
  const type = graph?.subject.type;
  // A graph without a profile type (`dyn`) declares only the built-in fields.
  const fields = type?.kind === 'object' ? Object.keys(type.fields) : Object.keys(BUILTIN_SUBJECT_FIELDS);
  const declared = new Set(fields);
  const own = fields.filter((k) => !BUILTIN.has(k));
  if (own.length === 0 && !options.nearMissesOfBuiltIns) return [];
  const problems: SubjectPatchProblem[] = [];
  for (const key of Object.keys(patch)) {
    if (BUILTIN.has(key)) continue;
    const path = `/${escapePointer(key)}`;
    if (declared.has(key)) {
      const field = type?.kind === 'object' ? type.fields[key] : undefined;
      if (field) problems.push(...fieldValueProblems(field, patch[key], path).map((e) => ({ ...e, names: 'field' as const })));
      continue;
    }
    const suggestion = didYouMean(key, fields);
    // Nothing of its own declared to hold the key against: only a near miss is a typo.
    if (own.length === 0 && suggestion === undefined) continue;
    problems.push({
      names: 'field',
      path,
      message: `is not a field of the subject profile${suggestion ? `; did you mean "${suggestion}"?` : ''} (the project's: ${own.length === 0 ? 'none' : quoted(own)}; built in: ${[...BUILTIN].join(', ')})`,
      undeclared: { key, fields, ...(suggestion === undefined ? {} : { suggestion }) },
    });
  }
  return problems;
}

function channelProblems(graph: GraphIR, patch: Readonly<Record<string, unknown>>): SubjectPatchProblem[] {
  const channels = Object.keys(graph.channels);
  const categories = [...new Set(Object.values(graph.policies).map((p) => p.category))];
  const isChannel = (name: string) => Object.hasOwn(graph.channels, name);
  const known = channels.length === 0 ? 'the project declares no channels' : `its channels: ${quoted(channels)}`;
  const notAChannel = (name: string) => {
    const suggestion = didYouMean(name, channels);
    return `not a channel of this project${suggestion ? `; did you mean "${suggestion}"?` : ''} (${known})`;
  };
  const problems: SubjectPatchProblem[] = [];

  if (isPlainObject(patch['contacts'])) {
    for (const channel of Object.keys(patch['contacts'])) {
      if (!isChannel(channel)) problems.push({ names: 'channel', path: `/contacts/${escapePointer(channel)}`, message: `is ${notAChannel(channel)}` });
    }
  }
  if (Array.isArray(patch['channels'])) {
    patch['channels'].forEach((channel, i) => {
      if (typeof channel === 'string' && !isChannel(channel)) problems.push({ names: 'channel', path: `/channels/${i}`, message: `${JSON.stringify(channel)} is ${notAChannel(channel)}` });
    });
  }
  if (Array.isArray(patch['optOuts'])) {
    const categoryList = categories.length === 0 ? 'none' : quoted(categories);
    patch['optOuts'].forEach((entry, i) => {
      if (typeof entry !== 'string' || entry === '*') return;
      const path = `/optOuts/${i}`;
      const colon = entry.lastIndexOf(':');
      if (colon !== -1) {
        const channel = entry.slice(colon + 1);
        if (!isChannel(channel)) problems.push({ names: 'channel', path, message: `names ${JSON.stringify(channel)} as its channel, which is ${notAChannel(channel)}` });
        const category = entry.slice(0, colon);
        const near = categories.includes(category) ? undefined : didYouMean(category, categories);
        if (near) problems.push({ names: 'category', path, message: `names the category ${JSON.stringify(category)}, which no policy has; did you mean "${near}"? (categories: ${categoryList})` });
        return;
      }
      if (isChannel(entry) || categories.includes(entry)) return;
      const near = didYouMean(entry, [...channels, ...categories]);
      if (near) {
        problems.push({
          // A misspelt channel or a misspelt category: the one it is close to says which.
          names: isChannel(near) ? 'channel' : 'category',
          path,
          message: `${JSON.stringify(entry)} is neither a channel nor a category of this project; did you mean "${near}"? (channels: ${channels.length === 0 ? 'none' : quoted(channels)}; categories: ${categoryList})`,
        });
      }
    });
  }
  return problems;
}
