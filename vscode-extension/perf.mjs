import { Project } from '@herald/dsl';
import { readFileSync } from 'node:fs';
import { genProject, journey } from './gen.mjs';
const files = genProject(1000);
const p = new Project('/work/main/examples/x', { readFile: (p) => { try { return readFileSync(p, 'utf8'); } catch { return undefined; } }, pluginRoots: ['/work/main'] });
for (const [k, v] of Object.entries(files)) p.setFile(k, v);
let t = performance.now();
let r = p.check();
console.log('first check', performance.now() - t, r.diagnostics.length, r.diagnostics.slice(0,5).map(d=>d.code+' '+d.file+' '+d.message));
const times = [];
for (let k = 0; k < 30; k++) {
  p.setFile('journeys/j5.journey.yaml', journey(5, ' edit ' + k));
  t = performance.now(); r = p.check(); times.push(performance.now() - t);
}
times.sort((a,b)=>a-b); console.log('recheck p50', times[15], 'p95', times[28]);
