import type { Message } from './store'

/** Conversations whose first page is kept (least recently read dropped first)… */
const MAX_CONVERSATIONS = 1000
/** …and about how much memory they may hold, with their JSON text (messages/page-json.ts). */
const MAX_BYTES = 16 << 20
/** A page larger than this is not kept (it would push out many small ones). */
const MAX_ENTRY_BYTES = MAX_BYTES >> 4

type Entry = { seq: number; version: number; limit: number; messages: readonly Message[]; bytes: number }

/** A page's rough footprint: its text twice (the message and its parts) and its JSON, plus fixed costs. */
const footprint = (messages: Message[]) => {
  let bytes = 0
  for (const m of messages) bytes += 1024 + 6 * m.content.length
  return bytes
}

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
  private bytes = 0

  get(conversationId: string, seq: number, version: number, limit: number): readonly Message[] | undefined {
    const entry = this.entries.get(conversationId)
    if (!entry || entry.seq !== seq || entry.version !== version || entry.limit !== limit) return undefined
    this.entries.delete(conversationId) // most recently read last
    this.entries.set(conversationId, entry)
    return entry.messages
  }

  set(conversationId: string, seq: number, version: number, limit: number, messages: Message[]): void {
    this.drop(conversationId)
    const bytes = footprint(messages)
    if (bytes > MAX_ENTRY_BYTES) return
    for (const message of messages) Object.freeze(message)
    this.entries.set(conversationId, { seq, version, limit, messages: Object.freeze(messages), bytes })
    this.bytes += bytes
    while (this.entries.size > MAX_CONVERSATIONS || this.bytes > MAX_BYTES)
      this.drop(this.entries.keys().next().value as string)
  }

  private drop(conversationId: string) {
    const entry = this.entries.get(conversationId)
    if (!entry) return
    this.entries.delete(conversationId)
    this.bytes -= entry.bytes
  }
}
