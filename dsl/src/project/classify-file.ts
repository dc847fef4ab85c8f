import type { FileKind } from '../model/ast.js';

export type ProjectFileKind = FileKind | 'test';

/** A file's kind from its name: `herald.yaml`, `*.journey.yaml`, `*.template.yaml`, `*.policy.yaml`, `*.test.yaml`. */
export function classifyFile(path: string): ProjectFileKind | undefined {
  const name = path.split('/').pop() ?? path;
  if (name === 'herald.yaml' || name === 'herald.yml') return 'config';
  const m = /\.(journey|template|policy|test)\.ya?ml$/.exec(name);
  return m ? (m[1] as ProjectFileKind) : undefined;
}

export function isYamlFile(path: string): boolean {
  return /\.ya?ml$/.test(path);
}
