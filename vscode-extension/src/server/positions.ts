/**
 * LSP positions <-> compiler offsets. Both count UTF-16 code units, so a position is a line
 * start plus a character; the compiler's lines and columns are 1-based, LSP's 0-based.
 */
import type { Range as DslRange, SourceFile, Span } from '@herald/dsl';
import type { Position, Range } from 'vscode-languageserver';

/** Line starts of a text; kept per document version by the caller. */
export class LineIndex {
  readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
    this.lineStarts = starts;
  }

  static of(source: SourceFile): LineIndex {
    const li = Object.create(LineIndex.prototype) as { text: string; lineStarts: readonly number[] };
    li.text = source.text;
    li.lineStarts = source.lineStarts;
    return li as LineIndex;
  }

  offsetAt(p: Position): number {
    const line = Math.max(0, Math.min(p.line, this.lineStarts.length - 1));
    const start = this.lineStarts[line]!;
    const end = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1]! - 1 : this.text.length;
    return Math.min(start + Math.max(0, p.character), end);
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.lineStarts[lo]! };
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(Math.max(start, end)) };
  }

  spanRange(span: Pick<Span, 'start' | 'end'>): Range {
    return this.range(span.start, span.end);
  }

  /** The text of one 0-based line, without its line break. */
  lineText(line: number): string {
    const start = this.lineStarts[line] ?? this.text.length;
    const next = this.lineStarts[line + 1];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, '');
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }
}

/** A compiler range (1-based line and column) as an LSP range. */
export function toLspRange(r: DslRange): Range {
  return {
    start: { line: r.start.line - 1, character: r.start.column - 1 },
    end: { line: r.end.line - 1, character: r.end.column - 1 },
  };
}

export function containsOffset(span: Pick<Span, 'start' | 'end'>, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}
