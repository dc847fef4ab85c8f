/**
 * Requests the Herald extension sends its language server beyond standard LSP, and their
 * payloads. Plain data only: both the server and the client (and other editors) use them.
 */

/** An LSP range: 0-based line, UTF-16 character. */
export interface WireRange {
  readonly start: { readonly line: number; readonly character: number };
  readonly end: { readonly line: number; readonly character: number };
}

export const JOURNEY_GRAPH_REQUEST = 'herald/journeyGraph';

export interface JourneyGraphParams {
  readonly uri: string;
}

export interface GraphNodeView {
  /** Step key: the user's id or `#<position>`; `@start` for the trigger. */
  readonly id: string;
  readonly kind: string;
  /** One or more lines of text. */
  readonly label: string;
  /** The step's range in the journey file, for follow-the-cursor and click-to-reveal. */
  readonly range: WireRange | null;
  /** Errors and warnings the compiler reports inside this step. */
  readonly problems: number;
}

export interface GraphEdgeView {
  readonly from: string;
  /** null: the journey ends there. */
  readonly to: string | null;
  readonly label: string;
}

export interface JourneyGraph {
  readonly journey: string;
  /** `compiled`: nodes and edges of the lowered IR (gotos folded into edges); `source`: the steps as written, because the project has errors. */
  readonly from: 'compiled' | 'source';
  readonly nodes: readonly GraphNodeView[];
  readonly edges: readonly GraphEdgeView[];
  readonly errors: number;
}

export const TEMPLATE_PREVIEW_REQUEST = 'herald/templatePreview';

export interface TemplatePreviewParams {
  readonly uri: string;
  /** Sample data merged over the generated sample (`{ customer: { name: "Ada" } }`). */
  readonly data?: Record<string, unknown>;
}

export interface RenderedField {
  readonly channel: string;
  readonly locale: string;
  readonly field: string;
  readonly html: boolean;
  readonly output: string;
  /** Set when rendering failed (the template does not parse). */
  readonly error?: string;
}

export interface TemplatePreview {
  readonly template: string;
  /** The journey whose scope typed the sample data, when a journey sends this template. */
  readonly journey: string | null;
  readonly sample: Record<string, unknown>;
  readonly fields: readonly RenderedField[];
}

/**
 * The command a journey test file's code lenses run (the client registers it): arguments the
 * test file's URI and, for one test, the 1-based line of its `- name:`; without a line, the
 * file's tests. It runs `herald test <file>[:line]` in a terminal.
 */
export const RUN_TEST_COMMAND = 'herald.runTest';
