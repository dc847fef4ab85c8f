import { describe, expect, it } from 'vitest';
import { Project } from '../../project/project.js';

const manifests: Record<string, string> = {
  '/r/node_modules/@herald/source-file/herald-plugin.json': JSON.stringify({ name: '@herald/source-file', kind: 'source', configSchema: { type: 'object' } }),
};

function check(subject: string) {
  const p = new Project('/r/p', { readFile: (f) => manifests[f] });
  p.setFile(
    'herald.yaml',
    `project: p
sources:
  crm:
    use: "@herald/source-file"
    queries:
      byId: { args: { id: string }, returns: { name: string, tier: string } }
      byEmail: { args: { email: string }, returns: { name: string } }
events:
  e.x: { fields: { subjectId: string } }
subject:
${subject}
`,
  );
  p.setFile('j.journey.yaml', 'journey: j\ntrigger: { event: e.x, when: "subject.tier == \'gold\'" }\nsteps:\n  - exit: x\n');
  return p.check().diagnostics.map((d) => `${d.code} ${d.message}`);
}

describe('subject.source', () => {
  it('types the enriched fields into subject.*', () => {
    expect(check('  source: { source: crm, query: byId }')).toEqual([]);
  });
  it('reports an unknown source or query, and a query that needs more than id', () => {
    expect(check('  source: { source: crn, query: byId }')[0]).toMatch(/^unknown-source/);
    expect(check('  source: { source: crm, query: byid }')[0]).toMatch(/^unknown-query/);
    expect(check('  source: { source: crm, query: byEmail }')).toContain(
      'invalid-value query `byEmail` needs `email`, but a subject source is given only `id`',
    );
  });
  it('without it, a field only the source has is unknown', () => {
    expect(check('  fields: { name: string }')[0]).toMatch(/^unknown-field `subject` has no field `tier`/);
  });
});
