/**
 * Stages 1–3 for one file: parse, shape, build. Pure in its input (path, text, reader),
 * so the project caches its result until the text changes.
 */
import type { Problem } from '../diagnostics/report.js';
import { buildConfig } from '../build/build-config.js';
import { buildJourney } from '../build/build-journey.js';
import { buildPolicy } from '../build/build-policy.js';
import { buildTemplate, type IsProjectFolder, type ReadProjectFile } from '../build/build-template.js';
import type { FileKind, Located, ProjectFile } from '../model/ast.js';
import { parseYamlFile } from '../parse/parse-yaml-file.js';
import { validateShape } from '../schema/validate-shape.js';
import { unbuiltTemplateId } from './unbuilt-template-id.js';

export interface CompiledFile {
  readonly kind: FileKind;
  readonly ast: ProjectFile | undefined;
  readonly problems: readonly Problem[];
  /** Files read through template `file:` references, with the text seen. */
  readonly included: readonly { readonly path: string; readonly text: string }[];
  /** A template file that could not be built: the id it would define (unbuilt-template-id.ts). */
  readonly unbuiltTemplate?: Located<string> | undefined;
}

export function compileFile(path: string, kind: FileKind, text: string, read: ReadProjectFile, isFolder?: IsProjectFolder): CompiledFile {
  const compiled = compileFileAst(path, kind, text, read, isFolder);
  if (kind !== 'template' || compiled.ast) return compiled;
  return { ...compiled, unbuiltTemplate: unbuiltTemplateId(path, text) };
}

function compileFileAst(path: string, kind: FileKind, text: string, read: ReadProjectFile, isFolder: IsProjectFolder | undefined): CompiledFile {
  const { root, problems: parseProblems } = parseYamlFile(path, text);
  const problems: Problem[] = [...parseProblems];
  if (!root) {
    // An empty file (or only comments) parses to nothing: say so, rather than find no problems in it.
    if (parseProblems.length === 0) {
      problems.push({
        code: 'wrong-type',
        message: `${kind === 'config' ? 'herald.yaml' : `this ${kind} file`} is empty`,
        span: { file: path, start: 0, end: 0 },
        hint: kind === 'config' ? 'herald.yaml needs at least `project: <name>`' : `a ${kind} file starts with \`${kind}: <id>\``,
      });
    }
    return { kind, ast: undefined, problems, included: [] };
  }
  if (root.kind !== 'map') {
    problems.push({ code: 'wrong-type', message: `a ${kind === 'config' ? 'herald.yaml' : kind} file must be a mapping of keys`, span: root.span });
    return { kind, ast: undefined, problems, included: [] };
  }
  problems.push(...validateShape(kind, root));
  switch (kind) {
    case 'config':
      return { kind, ast: buildConfig(path, root, problems), problems, included: [] };
    case 'journey':
      return { kind, ast: buildJourney(path, root, problems), problems, included: [] };
    case 'policy':
      return { kind, ast: buildPolicy(path, root), problems, included: [] };
    case 'template': {
      const built = buildTemplate(path, root, read, problems, isFolder);
      return { kind, ast: built.template, problems, included: built.included };
    }
  }
}
