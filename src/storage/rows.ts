import type { Tables } from './driver'
import type { Conversation, Message, Metadata, Sender } from './store'

// Rows as stored (epoch ms, JSON text) → records as the API shows them (ISO strings, objects).
type ConversationRow = Tables['conversations']['$inferSelect']
type MessageRow = Tables['messages']['$inferSelect']

const iso = (ms: number) => new Date(ms).toISOString()
const json = (text: string) => JSON.parse(text) as Metadata

export const toConversation = (r: ConversationRow): Conversation => ({
  id: r.id,
  user_id: r.userId,
  title: r.title,
  metadata: json(r.metadata),
  created_at: iso(r.createdAt),
  updated_at: iso(r.updatedAt),
  message_count: r.messageCount,
})

export const toMessage = (r: MessageRow): Message => ({
  id: r.id,
  conversation_id: r.conversationId,
  sender: r.sender as Sender,
  content: r.content,
  metadata: json(r.metadata),
  reply_to: r.replyTo,
  created_at: iso(r.createdAt),
  updated_at: iso(r.updatedAt),
})
