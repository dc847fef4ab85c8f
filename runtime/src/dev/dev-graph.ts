/**
 * What `herald dev` changes in a project's graph before running it, and the sample it prints.
 *
 * Every channel using `@herald/channel-email` is pointed at the dev mail catcher: host and
 * port replaced, TLS and auth dropped. So `herald dev` never mails a real address, whatever
 * herald.yaml says, and needs none of the SMTP secrets. Other channels run as configured.
 */
import type { GraphIR, Type } from '@herald/dsl';

export const EMAIL_PLUGIN = '@herald/channel-email';

export function pointEmailAtCatcher(ir: GraphIR, host: string, port: number): GraphIR {
  const channels = Object.fromEntries(
    Object.entries(ir.channels).map(([name, ch]) => {
      if (ch.use !== EMAIL_PLUGIN) return [name, ch];
      const { auth: _auth, secure: _secure, requireTLS: _tls, pool: _pool, ...rest } = (ch.config ?? {}) as Record<string, unknown>;
      return [name, { ...ch, config: { ...rest, host, port, secure: false, requireTLS: false } }];
    }),
  );
  return { ...ir, channels };
}

export function emailChannelsOf(ir: GraphIR): string[] {
  return Object.entries(ir.channels)
    .filter(([, ch]) => ch.use === EMAIL_PLUGIN)
    .map(([name]) => name);
}

/** A value of the type, for a sample event: strings say what they are, timestamps are now. */
export function sampleValue(type: Type, name: string, now: number): unknown {
  switch (type.kind) {
    case 'string':
      return /id$/i.test(name) ? `${name.replace(/id$/i, '').toLowerCase() || 'x'}-1` : name;
    case 'number':
    case 'duration':
      return 100;
    case 'bool':
      return true;
    case 'null':
      return null;
    case 'timestamp':
      return new Date(now).toISOString();
    case 'list':
      return [sampleValue(type.element, name, now)];
    case 'map':
      return {};
    case 'object':
      return Object.fromEntries(
        Object.entries(type.fields)
          .filter(([, f]) => !f.optional)
          .map(([k, f]) => [k, sampleValue(f.type, k, now)]),
      );
    case 'dyn':
      return name;
  }
}

/** The trigger event of the first journey, with sample data: what the printed curl posts. */
export function sampleEvent(ir: GraphIR, now: number): { type: string; data: unknown } | undefined {
  const type = ir.journeys[0]?.trigger.event ?? Object.keys(ir.events)[0];
  if (type === undefined || !ir.events[type]) return undefined;
  return { type, data: sampleValue(ir.events[type].type, 'data', now) };
}
