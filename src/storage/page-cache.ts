import type { Message } from './store'

/** Conversations whose first page is kept (least recently read dropped first). */
const MAX_CONVERSATIONS = 1000

type Entry = { seq: number; version: number; limit: number; messages: readonly Message[] }

/**
 * The first page of a conversation's active branch, as last read, for SQLite: a widget polls
 * the newest messages far more often than anyone writes them. An entry is valid while the
 * conversation's `last_seq` is unchanged — every change to a conversation raises it in the
 * transaction that makes it (drizzle-store.ts) — and no other connection has committed to the
 * file since (`PRAGMA data_version`: an import or another process may write without raising
 * it). Checking costs the brief read a page makes anyway; a hit skips the page read and the
 * rows' conversion. The messages are frozen: a reader that changed one would change every
 * later reader's page.
 */
export class PageCache {
  private readonly entries = new Map<string, Entry>()

  get(conversationId: string, seq: number, version: number, limit: number): readonly Message[] | undefined {
    const entry = this.entries.get(conversationId)
    if (!entry || entry.seq !== seq || entry.version !== version || entry.limit !== limit) return undefined
    this.entries.delete(conversationId) // most recently read last
    this.entries.set(conversationId, entry)
    return entry.messages
  }

  set(conversationId: string, seq: number, version: number, limit: number, messages: Message[]): void {
    for (const message of messages) Object.freeze(message)
    this.entries.delete(conversationId)
    this.entries.set(conversationId, { seq, version, limit, messages: Object.freeze(messages) })
    if (this.entries.size > MAX_CONVERSATIONS) this.entries.delete(this.entries.keys().next().value as string)
  }
}
