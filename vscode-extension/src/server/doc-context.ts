/**
 * What every feature needs to know about the file a request is about: its project, its
 * project-relative path and kind, its current text with a line index, and the parsed YAML
 * tree (built on demand and kept per text).
 */
import { posix } from 'node:path';
import { pathToFileURL } from 'node:url';
import { classifyFile, parseYamlFile, type ProjectFileKind, type Span, type YNode } from '@herald/dsl';
import type { HeraldProject } from './project-host.js';
import { LineIndex } from './positions.js';

export interface DocContext {
  readonly uri: string;
  readonly project: HeraldProject;
  /** Project-relative POSIX path. */
  readonly rel: string;
  readonly kind: ProjectFileKind | undefined;
  readonly text: string;
  readonly lines: LineIndex;
  /** The parsed tree, or undefined when the text is not valid YAML. */
  tree(): YNode | undefined;
}

const treeCache = new Map<string, { text: string; root: YNode | undefined }>();
const lineCache = new Map<string, LineIndex>();

export function docContext(uri: string, project: HeraldProject, rel: string, text: string): DocContext {
  let lines = lineCache.get(uri);
  if (!lines || lines.text !== text) {
    lines = new LineIndex(text);
    lineCache.set(uri, lines);
  }
  return {
    uri,
    project,
    rel,
    kind: classifyFile(rel),
    text,
    lines,
    tree: () => cachedTree(uri, rel, text),
  };
}

function cachedTree(uri: string, rel: string, text: string): YNode | undefined {
  const c = treeCache.get(uri);
  if (c && c.text === text) return c.root;
  const root = parseYamlFile(rel, text).root;
  treeCache.set(uri, { text, root });
  return root;
}

export function forgetDoc(uri: string): void {
  treeCache.delete(uri);
  lineCache.delete(uri);
}

/**
 * The text of a project file as the server knows it: open in the editor, read by the compiler,
 * or (a file a template includes, which the compiler reads when it checks) from disk.
 */
export function projectFileText(doc: DocContext, file: string): string | undefined {
  const p = doc.project;
  return p.texts.get(file) ?? p.workspace.sourceFile(file)?.text ?? p.workspaceRead(posix.join(p.root, file));
}

/** The parsed tree of a project file (herald.yaml, say) that need not be the one a request is about; shared with its DocContext when it is open. */
export function projectFileTree(doc: DocContext, file: string): YNode | undefined {
  const text = projectFileText(doc, file);
  return text === undefined ? undefined : cachedTree(uriOf(doc.project.root, file), file, text);
}

/** A scalar's span without its quotes: the characters a rename or a completion replaces. */
export function innerSpan(text: string, span: Pick<Span, 'start' | 'end'>): { start: number; end: number } {
  const first = text[span.start];
  if ((first === '"' || first === "'") && span.end - span.start >= 2 && text[span.end - 1] === first) {
    return { start: span.start + 1, end: span.end - 1 };
  }
  return { start: span.start, end: span.end };
}

/** URIs as the client spelled them for open files (clients differ in how they encode paths). */
const clientUris = new Map<string, string>();

export function rememberUri(absPath: string, uri: string): void {
  clientUris.set(absPath, uri);
}

/** The URI of a project file: the client's own spelling when it opened the file. */
export function uriOf(root: string, rel: string): string {
  const abs = posix.join(root, rel);
  return clientUris.get(abs) ?? pathToFileURL(abs).href;
}
