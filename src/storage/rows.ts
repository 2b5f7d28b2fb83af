import type { Tables } from './driver'
import type { Conversation, ConversationBrief, Message, Metadata, Sender } from './store'

// Rows as stored (epoch ms, JSON text) → records as the API shows them (ISO strings, objects).
type ConversationRow = Tables['conversations']['$inferSelect']
type MessageRow = Tables['messages']['$inferSelect']
/** The columns a conversation's brief is read from. */
export type BriefRow = Pick<ConversationRow, 'userId' | 'messageCount'>

const YEAR_10000 = 253_402_300_800_000
const pad3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'))
// "2026-11-24T10:00:00." per second: a page of messages spans few seconds. Bounded; cleared when full.
const secondHeads = new Map<number, string>()

/**
 * Epoch milliseconds as `Date#toISOString` writes them, without a Date per call when the
 * second was seen recently: a page of 10 messages formats up to 20 timestamps. One
 * concatenation of three parts, so serializing the result flattens one short rope, not the
 * nested ropes a many-part template builds (those made formatting plus JSON no faster than
 * toISOString). Outside 1970-9999 or for non-integers, toISOString itself.
 */
export function iso(ms: number): string {
  if (!(ms >= 0 && ms < YEAR_10000) || !Number.isInteger(ms)) return new Date(ms).toISOString()
  const second = Math.floor(ms / 1000)
  let head = secondHeads.get(second)
  if (head === undefined) {
    head = new Date(second * 1000).toISOString().slice(0, 20)
    if (secondHeads.size >= 4096) secondHeads.clear()
    secondHeads.set(second, head)
  }
  return `${head}${pad3[ms - second * 1000]}Z`
}
// Most records carry no metadata: a fresh {} for those without running the parser.
const json = (text: string): Metadata => (text === '{}' ? {} : (JSON.parse(text) as Metadata))

// Most records were never edited: their two timestamps share one string.
const updated = (r: { createdAt: number; updatedAt: number }, created: string) =>
  r.updatedAt === r.createdAt ? created : iso(r.updatedAt)

export const toConversation = (r: ConversationRow): Conversation => {
  const created = iso(r.createdAt)
  return {
    id: r.id,
    user_id: r.userId,
    title: r.title,
    metadata: json(r.metadata),
    created_at: created,
    updated_at: updated(r, created),
    message_count: r.messageCount,
  }
}

export const toBrief = (r: BriefRow): ConversationBrief => ({
  user_id: r.userId,
  message_count: r.messageCount,
})

export const toMessage = (r: MessageRow): Message => {
  const created = iso(r.createdAt)
  return {
    id: r.id,
    conversation_id: r.conversationId,
    sender: r.sender as Sender,
    content: r.content,
    metadata: json(r.metadata),
    reply_to: r.replyTo,
    created_at: created,
    updated_at: updated(r, created),
  }
}
