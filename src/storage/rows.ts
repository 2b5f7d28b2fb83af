import type { Tables } from './driver'
import type { Conversation, ConversationBrief, Generation, Message, Metadata, Part, Sender } from './store'

// Rows as stored (epoch ms, JSON text) → records as the API shows them (ISO strings, objects).
type ConversationRow = Tables['conversations']['$inferSelect']
type MessageRow = Tables['messages']['$inferSelect']
/** The columns a conversation's brief is read from. */
export type BriefRow = Pick<ConversationRow, 'userId' | 'messageCount' | 'branched' | 'lastSeq'>

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
    head_id: r.headId,
    usage: { input_tokens: r.inputTokens, output_tokens: r.outputTokens },
    assistant_id: r.assistantId,
  }
}

/** The stored form of a message's parts: null when they are its content as one text part. */
export function storedParts(content: string, parts: Part[] | undefined): string | null {
  if (parts === undefined) return null
  const [only] = parts
  if (parts.length === 1 && only?.type === 'text' && only.text === content) return null
  return JSON.stringify(parts)
}

/** Stored parts after an edit to `content`: the other parts stay, the text is one part. */
export function editedParts(stored: string | null, content: string): string | null {
  if (stored === null) return null
  const parts = JSON.parse(stored) as Part[]
  const first = parts.findIndex((p) => p.type === 'text')
  const others: Part[] = parts.filter((p) => p.type !== 'text')
  const at = first < 0 ? others.length : parts.slice(0, first).filter((p) => p.type !== 'text').length
  others.splice(at, 0, { type: 'text', text: content })
  return storedParts(content, others)
}

/** A message's content: its text parts, concatenated. */
export const textOf = (parts: readonly Part[]) => parts.map((p) => (p.type === 'text' ? p.text : '')).join('')

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
    parent_id: r.parentId,
    // An only child until the store knows otherwise (see withSiblings in drizzle-tree.ts).
    siblings: [r.id],
    parts: r.parts === null ? [{ type: 'text', text: r.content }] : (JSON.parse(r.parts) as Part[]),
    generation: r.generation === null ? null : (JSON.parse(r.generation) as Generation),
    created_at: created,
    updated_at: updated(r, created),
  }
}
