/**
 * Why a search that found nothing may have: a `journey` or `channel` filter that names nothing in
 * the project (`invoice-overdu`). Not an error — instances and archived messages of a journey or
 * channel removed since keep their names and are still found by them — but an empty answer to a
 * typo should say so, with a did-you-mean, the way an unknown parameter name is answered.
 */
import { didYouMean, type GraphIR } from '@herald/dsl';

export interface SearchFilters {
  readonly journey?: string | undefined;
  readonly channel?: string | undefined;
}

export function unknownFilterNotes(graph: GraphIR, filters: SearchFilters): string[] {
  const notes: string[] = [];
  const check = (what: string, value: string | undefined, names: readonly string[]) => {
    if (value === undefined || names.includes(value)) return;
    const near = didYouMean(value, names);
    notes.push(`no ${what} named ${JSON.stringify(value)} in this project${near ? `; did you mean ${JSON.stringify(near)}?` : ` (${what}s: ${names.join(', ') || 'none'})`}`);
  };
  check('journey', filters.journey, graph.journeys.map((j) => j.id));
  check('channel', filters.channel, Object.keys(graph.channels));
  return notes;
}
