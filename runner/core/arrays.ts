/** Appends `items` to `into`, one by one. `into.push(...items)` passes every item as an argument
 * of one call, and V8 refuses a call of more than about 120,000 (RangeError: Maximum call stack
 * size exceeded): the text preview of a 60,000-room plan failed on it. Use this wherever the list
 * grows with the plan or the stores. */
export function pushAll<T>(into: T[], items: Iterable<T>): T[] {
  for (const item of items) into.push(item)
  return into
}
