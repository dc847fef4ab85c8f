/** The `default:` of an exhaustive switch: a new union member is a compile error until it is handled. */
export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
