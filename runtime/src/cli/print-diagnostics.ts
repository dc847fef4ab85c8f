import { join } from 'node:path';
import { formatPretty, formatSarif, type Diagnostic, type Project } from '@herald/dsl';
import { HERALD_VERSION } from './herald-version.js';
import { shownPath } from './shown-path.js';

export type DiagnosticFormat = 'pretty' | 'json' | 'sarif';

export interface ProjectDiagnostics {
  readonly root: string;
  readonly project: Project;
  readonly diagnostics: readonly Diagnostic[];
}

/** Diagnostics of one or more projects in the chosen format; paths as `shownPath` prints them. */
export function renderDiagnostics(results: readonly ProjectDiagnostics[], format: DiagnosticFormat, color: boolean): string {
  // The text of each file under the name it is shown by, for the pretty printer's code frames.
  const texts = new Map<string, string>();
  const shown = (r: ProjectDiagnostics, file: string) => {
    const name = shownPath(join(r.root, file));
    const text = r.project.sourceFile(file)?.text;
    if (text !== undefined) texts.set(name, text);
    return name;
  };
  const all = results.flatMap((r) => r.diagnostics.map((d) => ({ ...d, file: shown(r, d.file), related: d.related?.map((x) => ({ ...x, file: shown(r, x.file) })) })));
  switch (format) {
    case 'json':
      return JSON.stringify(all, null, 2);
    case 'sarif':
      return JSON.stringify(formatSarif(all, HERALD_VERSION), null, 2);
    case 'pretty':
      return formatPretty(all, { color, textOf: (file) => texts.get(file) });
  }
}
