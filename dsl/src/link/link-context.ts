import type { Problem } from '../diagnostics/report.js';
import type { ProjectModel, Symbols } from './symbols.js';

/** What every link rule gets: the project, its symbol tables and a place to report. */
export interface LinkContext {
  readonly model: ProjectModel;
  readonly symbols: Symbols;
  readonly report: (p: Problem) => void;
}

export type LinkRule = (ctx: LinkContext) => void;
