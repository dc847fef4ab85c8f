/**
 * @herald/channel-email: email over SMTP.
 *
 * Config (see herald-plugin.json): host, port, secure, requireTLS, auth {user, pass}, from,
 * replyTo, pool, timeoutMs. Write secrets as `${ENV_VAR}` in herald.yaml; the runtime resolves
 * them before `create` is called, so this code only ever sees the values.
 *
 * Content fields: `subject`, and `html` and/or `text`. Metadata: `unsubscribeUrl` adds
 * List-Unsubscribe (and RFC 8058 one-click for https URLs).
 */
import { setMaxListeners } from 'node:events';
import { aborted, defineChannel, delivered, failed, loadManifest } from '@herald/plugin-sdk';
import { buildMail } from './build-mail.js';
import { classifySmtpError } from './classify-smtp-error.js';
import { createMailer } from './create-mailer.js';
import type { EmailConfig, EmailContent } from './email-config.js';

export type { EmailConfig, EmailContent } from './email-config.js';
export { IDEMPOTENCY_HEADER } from './build-mail.js';
export { classifySmtpError } from './classify-smtp-error.js';

const manifest = loadManifest(new URL('../herald-plugin.json', import.meta.url), 'channel');

export default defineChannel<EmailConfig, EmailContent>({
  manifest,
  create(config, pluginCtx) {
    const mailer = createMailer(config);
    // Aborted by close(): in-flight sends stop and their connections are closed.
    const closing = new AbortController();
    // One listener per send in flight, removed when it ends: many at once are normal.
    setMaxListeners(0, closing.signal);

    return {
      async send(message, ctx) {
        if (ctx.signal.aborted) return aborted(ctx.signal);
        if (closing.signal.aborted) return failed.retryable('the email channel is closed', { code: 'CLOSED' });
        const built = buildMail(config, message, ctx);
        if (!built.ok) return failed.permanent(built.reason, { code: 'INVALID_MESSAGE' });

        // Either the send's own signal or close() stops this send. (Not AbortSignal.any: its
        // dependants on the long-lived `closing` signal are only released by GC.)
        const stop = new AbortController();
        const onAbort = () => stop.abort(ctx.signal.aborted ? ctx.signal.reason : closing.signal.reason);
        ctx.signal.addEventListener('abort', onAbort, { once: true });
        closing.signal.addEventListener('abort', onAbort, { once: true });
        try {
          const info = await mailer.send(built.mail, stop.signal);
          ctx.logger.debug('email: sent', { messageId: info.messageId, response: info.response, attempt: ctx.attempt });
          return delivered({ providerMessageId: info.messageId, response: info.response });
        } catch (error) {
          if (stop.signal.aborted) return aborted(stop.signal);
          return classifySmtpError(error);
        } finally {
          ctx.signal.removeEventListener('abort', onAbort);
          closing.signal.removeEventListener('abort', onAbort);
        }
      },

      async close() {
        if (closing.signal.aborted) return;
        closing.abort(new Error('the email channel closed'));
        mailer.close();
        pluginCtx.logger.debug('email: closed');
      },
    };
  },
});
