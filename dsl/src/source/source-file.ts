import type { Position, Range } from '../diagnostics/diagnostic.js';

/**
 * A file's text with a line index, so any stage can turn an offset into a position.
 * Offsets are UTF-16 code units, the unit of JS strings, `yaml` and LSP.
 */
export class SourceFile {
  readonly lineStarts: readonly number[];

  constructor(
    readonly path: string,
    readonly text: string,
  ) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) starts.push(i + 1);
    }
    this.lineStarts = starts;
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - this.lineStarts[lo]! + 1, offset: clamped };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }

  /** Offset of a 1-based line/column. */
  offsetAt(line: number, column: number): number {
    const start = this.lineStarts[Math.max(0, Math.min(line - 1, this.lineStarts.length - 1))] ?? 0;
    return Math.min(this.text.length, start + Math.max(0, column - 1));
  }
}

/** A half-open offset interval in one file; what AST nodes carry until the IR. */
export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}
