const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Ids are UUIDs; anything else names nobody, and needs no database round trip to say so. */
export function isUuid(value: string): boolean {
  return UUID.test(value)
}
