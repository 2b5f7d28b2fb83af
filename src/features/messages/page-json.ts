import type { MessagePage } from './model'

// A page's messages as JSON, by the array they were served from: only the store's kept first
// pages are frozen (storage/page-cache.ts), so only they are kept here, and only as long as the
// store keeps the array.
const serialized = new WeakMap<readonly unknown[], string>()

/**
 * A page as JSON text. A kept first page's messages are serialized once, not on every read
 * (serializing them was about half of a cached page's cost); the few counts around them are
 * written per request, in the order JSON.stringify would write the whole page.
 */
export function pageJson(page: MessagePage): string {
  const { messages, ...rest } = page
  let text = serialized.get(messages)
  if (text === undefined) {
    text = JSON.stringify(messages)
    if (Object.isFrozen(messages)) serialized.set(messages, text)
  }
  return `{"messages":${text},${JSON.stringify(rest).slice(1)}`
}
