/**
 * What reading a test file needs besides its grammar (read-test-file.ts): positions of values
 * and keys by path, problems with a code and a hint, checks of plain values, and the names
 * the file takes from the project, collected to be checked against it once everything is read.
 */
import { didYouMean } from '../diagnostics/did-you-mean.js';
import type { GraphIR } from '../lower/ir.js';
import { locate, toJson, type YNode } from '../parse/yaml-tree.js';
import { SourceFile, type Span } from '../source/source-file.js';
import { parseDuration } from '../types/parse-duration.js';
import { parseTime } from '../types/parse-time.js';
import type { ProjectReference } from './check-project-references.js';
import type { StepLocation, TestFileProblem, TextMatcher } from './journey-test.js';
import type { TestFileChecks } from './read-test-file.js';

export type Path = readonly (string | number)[];
export type Obj = Readonly<Record<string, unknown>>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A YAML node as plain JSON: the compiler's, so test files and project files read alike. */
export { toJson };

export interface ProblemOptions {
  /** At the key of the entry `path` ends in, rather than its value. */
  readonly key?: boolean;
  readonly hint?: string | undefined;
}

/** Unknown keys of a map, and the allowed keys they were probably meant to be. */
export interface KeyCheck {
  readonly unknown: readonly string[];
  /** A missing key among these was given under a misspelt name, already reported. */
  readonly meant: ReadonlySet<string>;
}

export const QUOTE_HINT = 'quote it: phone numbers and ids that look like numbers must be strings';

export class TestFileReader {
  readonly problems: TestFileProblem[] = [];
  readonly references: (ProjectReference & { readonly path: Path; readonly key: boolean })[] = [];
  private readonly source: SourceFile;

  constructor(
    readonly file: string,
    text: string,
    private readonly root: YNode,
    /** The project the file tests; without it, names are not checked. */
    readonly graph?: GraphIR,
    /** The runtime's checks, when the runtime reads the file. */
    readonly checks: TestFileChecks = {},
  ) {
    this.source = new SourceFile(file, text);
  }

  loc(path: Path, key = false): StepLocation {
    const p = this.source.position(locate(this.root, path, key).start);
    return { line: p.line, column: p.column };
  }

  problem(path: Path, code: string, message: string, options: ProblemOptions = {}): undefined {
    const span = locate(this.root, path, options.key);
    const range = this.source.range(span.start, span.end);
    this.problems.push({ file: this.file, line: range.start.line, column: range.start.column, code, message, ...(options.hint ? { hint: options.hint } : {}), range });
    return undefined;
  }

  /** Where the value at `path` (its key when `key`) is in the text. */
  span(path: Path, key = false): Span {
    return locate(this.root, path, key);
  }

  /** A name the project must have: checked once the whole file is read. */
  reference(ref: ProjectReference, path: Path, key = false): void {
    this.references.push({ ...ref, path, key });
  }

  /** Unknown keys are mistakes (a typo in `expect` would otherwise check nothing). */
  keys(value: Obj, path: Path, allowed: readonly string[], what: string): KeyCheck {
    const unknown = Object.keys(value).filter((k) => !allowed.includes(k));
    const meant = new Set<string>();
    for (const k of unknown) {
      const near = didYouMean(k, allowed);
      if (near !== undefined && value[near] === undefined) meant.add(near);
      this.problem([...path, k], 'unknown-key', `${what} has no field "${k}"`, { key: true, hint: near ? `did you mean \`${near}\`?` : `its fields: ${allowed.join(', ')}` });
    }
    return { unknown, meant };
  }

  /** A required key; missing under a misspelt name, the unknown-key problem says it all. */
  required(value: Obj, key: string, path: Path, what: string, checked: KeyCheck): boolean {
    if (value[key] !== undefined) return true;
    if (!checked.meant.has(key)) this.problem(path, 'missing-key', `${what} needs ${key}:`);
    return false;
  }

  obj(value: unknown, path: Path, what: string): Obj | undefined {
    return isObj(value) ? value : this.problem(path, 'wrong-type', `${what} must be a map`);
  }

  list(value: unknown, path: Path, what: string): readonly unknown[] | undefined {
    return Array.isArray(value) ? value : this.problem(path, 'wrong-type', `${what} must be a list`);
  }

  str(value: unknown, path: Path, what: string): string | undefined {
    if (typeof value === 'string' && value !== '') return value;
    return this.problem(path, 'wrong-type', `${what} must be a non-empty string`, typeof value === 'number' ? { hint: QUOTE_HINT } : {});
  }

  strList(value: unknown, path: Path, what: string): string[] | undefined {
    const items = this.list(value, path, what);
    if (!items) return undefined;
    const out = items.map((v, i) => this.str(v, [...path, i], `each of ${what}`));
    return out.every((v): v is string => v !== undefined) ? out : undefined;
  }

  time(value: unknown, path: Path, what: string): number | undefined {
    const ms = typeof value === 'string' ? parseTime(value) : undefined;
    return ms ?? this.problem(path, 'invalid-value', `${what} must be an ISO 8601 time such as 2026-03-02T09:00:00Z`);
  }

  duration(value: unknown, path: Path): number | undefined {
    const ms = typeof value === 'string' ? parseDuration(value) : undefined;
    return ms ?? this.problem(path, 'invalid-value', 'advance takes a duration (7d, 36h, 1h30m) or {to: <ISO time>}');
  }

  /** One of `allowed`, e.g. an outcome or a status. */
  oneOf<T extends string>(value: unknown, path: Path, allowed: readonly T[], what: string): T | undefined {
    if (allowed.includes(value as T)) return value as T;
    const near = typeof value === 'string' ? didYouMean(value, allowed) : undefined;
    return this.problem(path, 'invalid-value', `${what} is one of ${allowed.join(', ')}`, { hint: near && `did you mean \`${near}\`?` });
  }

  text(value: unknown, path: Path, what: string): TextMatcher | undefined {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (isObj(value) && Object.keys(value).length === 1) {
      const [op, arg] = Object.entries(value)[0]!;
      if (['equals', 'contains', 'matches', 'notContains'].includes(op) && typeof arg === 'string') {
        if (op === 'matches') {
          try {
            new RegExp(arg);
          } catch (error) {
            return this.problem([...path, op], 'invalid-value', `not a regular expression: ${(error as Error).message}`);
          }
        }
        return { [op]: arg } as TextMatcher;
      }
    }
    return this.problem(path, 'wrong-type', `${what} must be a string, or one of {equals|contains|matches|notContains: string}`);
  }
}
