import type { Message } from '../storage/store'

/**
 * Drops the oldest messages until the history fits `maxChars` characters. The newest message
 * (the one being answered) is always kept, even when it alone is longer.
 */
export function trimHistory(history: Message[], maxChars: number): Message[] {
  let total = 0
  let start = history.length
  while (start > 0) {
    const size = (history[start - 1] as Message).content.length
    if (start < history.length && total + size > maxChars) break
    total += size
    start--
  }
  return history.slice(start)
}
