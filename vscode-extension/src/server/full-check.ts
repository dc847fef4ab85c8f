/**
 * The authoritative check: every file of a project, the same `Project.check()` the CLI runs,
 * and every journey test file read as `herald test` reads it, against the project's graph when
 * the project compiles (its names checked too). Runs in a worker thread (check-worker.ts) or,
 * where workers are unavailable, inline.
 */
import { Worker } from 'node:worker_threads';
import { classifyFile, fileSizeOnDisk, isFileOnDisk, isFolderOnDisk, Project, readFileOrUndefined, testFileDiagnostics, type Diagnostic } from '@herald/dsl';

export type FullCheckRequest =
  | { readonly type: 'open'; readonly root: string; readonly pluginRoots: readonly string[] }
  | { readonly type: 'close'; readonly root: string }
  | { readonly type: 'set'; readonly root: string; readonly path: string; readonly text: string }
  | { readonly type: 'remove'; readonly root: string; readonly path: string }
  | { readonly type: 'check'; readonly root: string; readonly id: number };

export type FullCheckResponse =
  | { readonly type: 'checked'; readonly root: string; readonly id: number; readonly diagnostics: readonly Diagnostic[]; readonly ms: number }
  | { readonly type: 'failed'; readonly root: string; readonly id: number; readonly error: string };


/** The projects a checker holds; the same code serves the worker and the inline fallback. */
export class FullCheckState {
  private readonly projects = new Map<string, Project>();

  handle(msg: FullCheckRequest): FullCheckResponse | undefined {
    switch (msg.type) {
      case 'open':
        this.projects.set(msg.root, new Project(msg.root, { readFile: readFileOrUndefined, isFolder: isFolderOnDisk, isFile: isFileOnDisk, fileSize: fileSizeOnDisk, pluginRoots: msg.pluginRoots }));
        return undefined;
      case 'close':
        this.projects.delete(msg.root);
        return undefined;
      case 'set':
        this.projects.get(msg.root)?.setFile(msg.path, msg.text);
        return undefined;
      case 'remove':
        this.projects.get(msg.root)?.removeFile(msg.path);
        return undefined;
      case 'check': {
        const p = this.projects.get(msg.root);
        if (!p) return { type: 'failed', root: msg.root, id: msg.id, error: 'unknown project' };
        return runFullCheck(p, msg.root, msg.id);
      }
    }
  }
}

export function runFullCheck(p: Project, root: string, id: number): FullCheckResponse {
  const t0 = performance.now();
  try {
    const tests = p.paths().filter((f) => classifyFile(f) === 'test');
    // The graph only when test files need it: lowering is most of a compile after the check.
    const { diagnostics, ir } = tests.length > 0 ? p.compile() : { ...p.check(), ir: undefined };
    const inTests = tests.flatMap((f) => testFileDiagnostics(f, p.sourceFile(f)?.text ?? '', ir));
    return { type: 'checked', root, id, diagnostics: [...diagnostics, ...inTests], ms: performance.now() - t0 };
  } catch (e) {
    // A compiler exception is a bug in the compiler; report it instead of taking the server down.
    return { type: 'failed', root, id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

export interface FullChecker {
  send(msg: FullCheckRequest): void;
  onResponse(listener: (r: FullCheckResponse) => void): void;
  dispose(): void;
}

/** Runs checks on the calling thread, one event-loop turn after they are asked for. */
export class InlineChecker implements FullChecker {
  private readonly state = new FullCheckState();
  private listener: ((r: FullCheckResponse) => void) | undefined;

  send(msg: FullCheckRequest): void {
    if (msg.type !== 'check') {
      this.state.handle(msg);
      return;
    }
    setImmediate(() => {
      const r = this.state.handle(msg);
      if (r) this.listener?.(r);
    });
  }

  onResponse(listener: (r: FullCheckResponse) => void): void {
    this.listener = listener;
  }

  dispose(): void {}
}

export class WorkerChecker implements FullChecker {
  private readonly worker: Worker;
  private listener: ((r: FullCheckResponse) => void) | undefined;

  constructor(url: URL, onError: (e: Error) => void) {
    this.worker = new Worker(url);
    this.worker.on('message', (r: FullCheckResponse) => this.listener?.(r));
    this.worker.on('error', onError);
    this.worker.unref();
  }

  send(msg: FullCheckRequest): void {
    this.worker.postMessage(msg);
  }

  onResponse(listener: (r: FullCheckResponse) => void): void {
    this.listener = listener;
  }

  dispose(): void {
    void this.worker.terminate();
  }
}
