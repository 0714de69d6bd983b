const LINE_BREAK = /[\r\n\u0085\u2028\u2029]/

/** Every character that ends a line somewhere (CR, LF, NEL, LS, PS) written as an escape (`\r`,
 * `\u2028`), so that text quoted from a plan cannot split the one line it is shown on (a terminal,
 * an editor or a CI log would break the line there, and a CR makes a terminal overwrite it). */
export function escapeLineBreaks(text: string): string {
  // Most lines have none: a test, without the copy replace makes (the preview asks this of every
  // command's placement line, 10,000 for a big plan).
  if (!LINE_BREAK.test(text)) return text
  return text.replace(/[\r\n\u0085\u2028\u2029]/g, (c) => c === '\r' ? '\\r' : c === '\n' ? '\\n' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
