/**
 * POST /receipts/:channel: a provider's status callback for a message it accepted earlier,
 * matched on the `providerMessageId` its send returned. Providers with their own callback
 * format need a small adapter in front (or a channel plugin hook, later) that posts this shape.
 */
import type { FastifyInstance } from 'fastify';
import type { HeraldRuntime } from '../runtime-api.js';
import { sendError } from './api-error.js';

const receiptSchema = {
  type: 'object',
  properties: {
    providerMessageId: { type: 'string', minLength: 1, maxLength: 500 },
    status: { enum: ['delivered', 'bounced', 'failed'] },
    reason: { type: 'string', maxLength: 2000 },
  },
  required: ['providerMessageId', 'status'],
  additionalProperties: false,
} as const;

interface ReceiptBody {
  readonly providerMessageId: string;
  readonly status: 'delivered' | 'bounced' | 'failed';
  readonly reason?: string;
}

export function registerReceiptsRoutes(server: FastifyInstance, runtime: HeraldRuntime): void {
  server.post<{ Params: { channel: string }; Body: ReceiptBody }>('/receipts/:channel', { schema: { body: receiptSchema } }, async (request, reply) => {
    const { channel } = request.params;
    if (!Object.hasOwn(runtime.graph.channels, channel)) {
      return sendError(reply, 404, 'not_found', `no channel named ${JSON.stringify(channel)} in this project (${Object.keys(runtime.graph.channels).join(', ') || 'none'})`);
    }
    const { providerMessageId, status, reason } = request.body;
    const matched = await runtime.receipt(providerMessageId, status, reason);
    // 404 tells the provider (and whoever reads its callback log) that this id is not one of ours,
    // which is usually a callback URL pointed at the wrong Herald, or that its message has its
    // outcome already (a repeated callback): either way nothing was recorded.
    if (!matched) return sendError(reply, 404, 'not_found', `no message awaiting a receipt has provider id ${JSON.stringify(providerMessageId)}`);
    return reply.code(202).send({ matched: true });
  });
}
