/**
 * `*.test.yaml` as `herald test` reads it: the compiler's reader (@herald/dsl, which the editor
 * uses too) with the checks only the runtime holds — subject profiles as `PUT /subjects/:id`
 * checks them, fixture answers against their query's `returns:` type, as a source's answer is
 * checked at run time.
 */
import { readTestFile as readWithChecks, type GraphIR, type ReadTestFileResult, type TestFileChecks } from '@herald/dsl';
import { queryResultProblem } from '../orchestrator/check-query-result.js';
import { testSubjectProblems } from './check-test-subject.js';

export type { ReadTestFileResult };

/** The checks only the runtime can make; `herald validate` adds them to the compiler's too. */
export const RUNTIME_TEST_FILE_CHECKS: TestFileChecks = {
  subject: testSubjectProblems,
  fixtureReturns: (graph, source, query, value) => queryResultProblem(graph, source, query, value, 'this fixture is a value'),
};

/** `graph`: the project the tests run against; without it, the names the file takes from it are not checked. */
export function readTestFile(file: string, text: string, graph?: GraphIR): ReadTestFileResult {
  return readWithChecks(file, text, graph, RUNTIME_TEST_FILE_CHECKS);
}
