const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/**
 * Text made safe as HTML content or as a quoted attribute value. Room names, errors and journal
 * entries come from the stores and from people: the lab's hold quotes, `<#`, `$(...)`. Control
 * characters other than tab and newlines are not allowed in HTML and become U+FFFD.
 */
export function escapeHtml(raw: string): string {
  // eslint-disable-next-line no-control-regex
  return raw.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '\uFFFD')
}
