/**
 * `herald test`'s stand-in for every channel: it sends nothing and answers as the test says
 * (`outcomes:`: delivered by default; accepted, failed, rejected or bounced to exercise
 * retries and failover). What it was given is what the runtime archives (content, address,
 * attempts, results), and the test runner reads the sends from there: so the same record works
 * whether plugins run in worker threads or not, and every test also checks the archive.
 */
import { accepted, bounced, defineChannel, delivered, failed } from '@herald/plugin-sdk';
import type { MessageContent } from '@herald/plugin-sdk';
import type { CaptureOutcome } from '@herald/dsl';

export interface CaptureConfig {
  readonly outcome?: CaptureOutcome;
  /** Per recipient address. */
  readonly byAddress?: Readonly<Record<string, CaptureOutcome>>;
}

const OUTCOME_SCHEMA = { enum: ['delivered', 'accepted', 'failed', 'rejected', 'bounced'] };

export default defineChannel<CaptureConfig, MessageContent>({
  name: '@herald/testing-capture',
  version: '0.1.0',
  messageKind: 'any',
  configSchema: {
    type: 'object',
    properties: { outcome: OUTCOME_SCHEMA, byAddress: { type: 'object', additionalProperties: OUTCOME_SCHEMA } },
    additionalProperties: false,
  },
  create(config) {
    return {
      async send(message, ctx) {
        const outcome = config.byAddress?.[message.to] ?? config.outcome ?? 'delivered';
        switch (outcome) {
          case 'delivered':
            return delivered({ providerMessageId: `${ctx.idempotencyKey}#${ctx.attempt}` });
          case 'accepted':
            return accepted({ providerMessageId: `${ctx.idempotencyKey}#${ctx.attempt}` });
          case 'failed':
            return failed.retryable('test: the channel failed (outcomes: failed)', { code: 'TEST_FAILED' });
          case 'rejected':
            return failed.permanent('test: the channel rejected the message (outcomes: rejected)', { code: 'TEST_REJECTED' });
          case 'bounced':
            return bounced(`test: ${message.to} bounced (outcomes: bounced)`, { code: 'TEST_BOUNCED' });
        }
      },
    };
  },
});
