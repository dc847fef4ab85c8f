/** The channel's config, as validated against herald-plugin.json's configSchema (keep the two in step). */
export interface EmailConfig {
  readonly host?: string;
  readonly port?: number;
  readonly secure?: boolean;
  readonly requireTLS?: boolean;
  readonly auth?: { readonly user: string; readonly pass: string };
  readonly from: string;
  readonly replyTo?: string;
  readonly pool?: boolean;
  readonly timeoutMs?: number;
}

/** Rendered fields of an email template variant. At least one of html and text. */
export type EmailContent = {
  readonly subject: string;
  readonly html?: string;
  readonly text?: string;
};

export const DEFAULT_TIMEOUT_MS = 30_000;
