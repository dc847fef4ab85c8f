/** The plugins Herald ships (plugins/ of its repository), by kind: known to did-you-means and completion even before a project uses them. */
export const HERALD_PLUGINS = {
  channel: ['@herald/channel-email', '@herald/channel-sms', '@herald/channel-webhook', '@herald/channel-log'],
  source: ['@herald/source-file'],
} as const satisfies Readonly<Record<'channel' | 'source', readonly string[]>>;
