/**
 * Lookups by a name that came from outside. `name in record` and
 * `record[name]` also find what every object inherits ("constructor",
 * "__proto__", "toString"): a request naming one of those must find nothing.
 */
export function hasOwn(record: object, name: string): boolean {
  return Object.hasOwn(record, name);
}

export function own<V>(record: Readonly<Record<string, V>>, name: string): V | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}
