// bench/compile: the compiler's speed on a 1,000-journey project, beside the targets.
// Run: npm run bench:compile   (after `npm ci`, which builds dist/)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Project, expr } from '@herald/dsl';
import { listYamlFiles, readFileOrUndefined } from '../runtime/dist/cli/load-project.js';
import { journeyText, writeProject } from './lib/generate-project.mjs';

const N = Number(process.env.JOURNEYS ?? 1000);
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const dir = writeProject(mkdtempSync(join(tmpdir(), 'herald-bench-compile-')), N);
const lines = journeyText(1).split('\n').length;

const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const fmt = (ms) => `${ms.toFixed(1)} ms`;
const row = (name, value, target, ok) => console.log(`${name.padEnd(44)} ${value.padStart(16)}   target ${target.padEnd(12)} ${ok ? 'OK' : 'MISSED'}`);

// 1. Full validate, as `herald validate` does it: read every file, parse, check, in one process.
function fullValidate() {
  const t0 = performance.now();
  const project = new Project(dir, { readFile: readFileOrUndefined, pluginRoots: [repoRoot] });
  for (const f of listYamlFiles(dir)) project.setFile(f, readFileSync(join(dir, f), 'utf8'));
  const { diagnostics } = project.check();
  return { ms: performance.now() - t0, project, diagnostics };
}
const cold = fullValidate(); // includes one-time schema and parser set-up
const warm = [fullValidate(), fullValidate(), fullValidate()].map((r) => r.ms);
if (cold.diagnostics.length) {
  console.error('the generated project should be clean:', cold.diagnostics.slice(0, 3));
  process.exit(1);
}

// 2. Incremental: one journey file changed, re-checked.
const project = cold.project;
const inc = [];
for (let k = 0; k < 60; k++) {
  const i = k % N;
  const text = journeyText(i).replace('description: Synthetic', `description: Edit ${k} of synthetic`);
  const t0 = performance.now();
  project.setFile(`journeys/journey-${i}.journey.yaml`, text);
  project.check();
  inc.push(performance.now() - t0);
}
inc.splice(0, 10); // warm-up

// 3. Expression evaluation, compiled once, against a hand-written closure in the same run.
const ev = expr.benchExpressionEval(2000);

console.log(`\nherald bench/compile — ${N} journeys of ~${lines} lines + ${N} templates + 50 policies (${listYamlFiles(dir).length} files), node ${process.version}\n`);
row('full validate (first run, incl. set-up)', fmt(cold.ms), '< 1500 ms', cold.ms < 1500);
row('full validate (warm, median of 3)', fmt(pct(warm, 50)), '< 1500 ms', pct(warm, 50) < 1500);
row('re-check one changed journey (p50)', fmt(pct(inc, 50)), '< 30 ms', pct(inc, 50) < 30);
row('re-check one changed journey (p95)', fmt(pct(inc, 95)), '< 30 ms', pct(inc, 95) < 30);
row('evaluate compiled comparison expression', `${(ev.perSecond / 1e6).toFixed(1)} M/s`, '>= 10 M/s', ev.perSecond >= 10e6);
console.log(`  baseline: the same condition as a hand-written JS closure: ${(ev.baselinePerSecond / 1e6).toFixed(1)} M/s (expression: ${expr.BENCH_EXPRESSION})`);
rmSync(dir, { recursive: true, force: true });
