/** Exhaustiveness guard for discriminated-union switches: a new variant is a compile error. */
export function assertNever(value: never): never {
  throw new TypeError(`unhandled variant: ${JSON.stringify(value)}`);
}
