import { relative } from 'node:path';
import { formatPretty, formatSarif, type Diagnostic, type Project } from '@herald/dsl';

export type DiagnosticFormat = 'pretty' | 'json' | 'sarif';

export interface ProjectDiagnostics {
  readonly root: string;
  readonly project: Project;
  readonly diagnostics: readonly Diagnostic[];
}

export const HERALD_VERSION = '0.1.0';

/** Diagnostics of one or more projects in the chosen format; paths are shown relative to the working directory. */
export function renderDiagnostics(results: readonly ProjectDiagnostics[], format: DiagnosticFormat, color: boolean): string {
  const display = (root: string, file: string) => {
    const rel = relative(process.cwd(), root).split('\\').join('/');
    return rel ? `${rel}/${file}` : file;
  };
  const all = results.flatMap((r) => r.diagnostics.map((d) => ({ ...d, file: display(r.root, d.file), related: d.related?.map((x) => ({ ...x, file: display(r.root, x.file) })) })));
  switch (format) {
    case 'json':
      return JSON.stringify(all, null, 2);
    case 'sarif':
      return JSON.stringify(formatSarif(all, HERALD_VERSION), null, 2);
    case 'pretty': {
      const textOf = (file: string) => {
        for (const r of results) {
          const prefix = display(r.root, '');
          if (file.startsWith(prefix)) {
            const f = r.project.sourceFile(file.slice(prefix.length));
            if (f) return f.text;
          }
        }
        return undefined;
      };
      return formatPretty(all, { color, textOf });
    }
  }
}
