import type { FileKind } from '../model/ast.js';

export type ProjectFileKind = FileKind | 'test';

/**
 * A file's kind from its name: `herald.yaml`, `*.journey.yaml`, `*.template.yaml`, `*.policy.yaml`,
 * `*.test.yaml` (`.yml` too). Matched ignoring case, so `Welcome.Template.YAML` is a template.
 */
export function classifyFile(path: string): ProjectFileKind | undefined {
  const name = (path.split('/').pop() ?? path).toLowerCase();
  if (name === 'herald.yaml' || name === 'herald.yml') return 'config';
  const m = /\.(journey|template|policy|test)\.ya?ml$/.exec(name);
  return m ? (m[1] as ProjectFileKind) : undefined;
}

/** A YAML file by its extension, ignoring case (`.yaml`, `.yml`, `.YAML`). */
export function isYamlFile(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

/** The file kind a YAML file's first top-level key suggests (`journey: x` -> journey), for a file whose name says none. */
export function kindFromContent(text: string): FileKind | undefined {
  const m = /^(journey|template|policy):/m.exec(text);
  return m ? (m[1] as FileKind) : undefined;
}
