import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadProjectGraph } from '../orchestrator/load-project-graph.js';
import { findFixture } from './fixture-source.js';
import { withTestPlugins } from './test-plugins.js';

const { ir } = loadProjectGraph(fileURLToPath(new URL('../../../examples/invoice-dunning', import.meta.url)));

describe('withTestPlugins', () => {
  it('swaps every channel and source, keeping message kinds and query definitions', () => {
    const { graph, problems } = withTestPlugins(ir!, {
      fixtures: { 'crm.customerById': [{ returns: { name: 'A' } }] },
      outcomes: { sms: { outcome: 'failed', byAddress: {} } },
    });
    expect(problems).toEqual([]);
    expect(graph.channels['email']).toMatchObject({ message: 'email', config: {} });
    expect(graph.channels['email']!.use).toMatch(/capture-channel\.js$/);
    expect(graph.channels['sms']!.config).toEqual({ outcome: 'failed', byAddress: {} });
    expect(graph.sources['crm']).toMatchObject({ config: { source: 'crm', queries: { customerById: [{ returns: { name: 'A' } }] } } });
    expect(graph.sources['crm']!.queries).toEqual(ir!.sources['crm']!.queries);
  });

  it('names fixtures and outcomes that match nothing in the project', () => {
    const { problems } = withTestPlugins(ir!, { fixtures: { 'crm.customerByID': [] }, outcomes: { fax: { outcome: 'failed', byAddress: {} } } });
    expect(problems).toEqual([
      'outcomes: the project has no channel "fax" (channels: email, letter, sms)',
      'fixtures: crm.customerByID is not a query of this project (queries: crm.customerById)',
    ]);
  });
});

describe('findFixture', () => {
  it('takes the first fixture whose given args equal the query args', () => {
    const fixtures = [{ args: { id: 'c-1' }, returns: 1 }, { args: { id: 'c-2', region: 'eu' }, returns: 2 }, { returns: 3 }];
    expect(findFixture(fixtures, { id: 'c-1' })?.returns).toBe(1);
    expect(findFixture(fixtures, { id: 'c-2', region: 'eu' })?.returns).toBe(2);
    expect(findFixture(fixtures, { id: 'c-2' })?.returns).toBe(3);
    expect(findFixture(fixtures.slice(0, 2), { id: 'c-9' })).toBeUndefined();
  });
});
