/**
 * Rendered template fields, by field name:
 * email `subject`, `html`, `text`; sms `body`; push `title`, `body`; webhook `body` (JSON text);
 * letter `html`; or whatever fields a plugin's own message kind declares.
 */
export type MessageContent = { readonly [field: string]: string | undefined };

/** One message for one recipient on one channel, already rendered. Plugins must not mutate it. */
export interface OutboundMessage<Content extends MessageContent = Readonly<Record<string, string>>> {
  /** The channel's name in herald.yaml (`email`, `transactional-email`, ...). */
  readonly channel: string;
  /** The template variant's message kind (`email`, `sms`, ...). */
  readonly kind: string;
  /** The address from the subject's contacts for this channel: an email address, an E.164 number, a URL, a device token. */
  readonly to: string;
  /** BCP 47 locale the content was rendered in. */
  readonly locale: string;
  readonly content: Content;
  /** The subject (customer) this message is about. */
  readonly subjectId: string;
  /** Journey id and step (node) id that sent it. */
  readonly journey: string;
  readonly step: string;
  /** The policy's message category (`billing`, `marketing`, ...), when it declares one. */
  readonly category?: string;
  /** Extra provider headers declared by the template (email headers, webhook HTTP headers). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Plain strings for the plugin: `unsubscribeUrl` (email adds List-Unsubscribe), `templateId`,
   * `instanceId`, ... Unknown keys are ignored by plugins that do not use them.
   */
  readonly metadata: Readonly<Record<string, string>>;
}
