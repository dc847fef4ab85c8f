/**
 * For the tests of `herald test`'s steps (imported by *.test.ts only): a project written to a temp
 * folder and compiled, and test files run against it by the runner `herald test` uses.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { GraphIR } from '@herald/dsl';
import { loadProjectGraph } from '../orchestrator/load-project-graph.js';
import { runTestFiles, type TestRun } from './run-test-files.js';

export interface TestFilesHarness {
  /** Writes `tests/<name>.test.yaml` as `header` + `tests` and runs it. */
  run(name: string, tests: string): Promise<TestRun>;
  remove(): void;
}

/** Throws when the project does not compile: the tests are about test files, not projects. */
export function testFilesHarness(prefix: string, project: Readonly<Record<string, string>>, header: string): TestFilesHarness {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  for (const [rel, text] of Object.entries(project)) write(rel, text);
  const loaded = loadProjectGraph(root);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (!loaded.ir || errors.length > 0) throw new Error(`the test project does not compile: ${errors.map((d) => `${d.file}: ${d.message}`).join('; ')}`);
  const ir: GraphIR = loaded.ir;
  return {
    async run(name, tests) {
      const file = `tests/${name}.test.yaml`;
      write(file, header + tests);
      return runTestFiles(ir, [file], { projectRoot: root });
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
