import { sql } from 'drizzle-orm'
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

// Timestamps are epoch milliseconds on every dialect (integer here, bigint elsewhere):
// one comparable type, no driver time-zone conversions, ISO strings only at the edge.
// Ids are UUIDv7 strings made by the app. JSON is kept as text so it round-trips byte for byte.

export const conversations = sqliteTable(
  'conversations',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    title: text('title'),
    metadata: text('metadata').notNull().default('{}'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    // Maintained in the same transaction as every message insert/delete: no COUNT(*) per request.
    messageCount: integer('message_count').notNull().default(0),
    // The conversation's event sequence: the last seq handed out (see events).
    lastSeq: integer('last_seq').notNull().default(0),
    // The first seq the log can replay from: new_message events of appended messages are the
    // messages themselves (seq), the rest are rows of events, pruned below it. After an import, the
    // seq after last_seq (the log is not exported).
    logFrom: integer('log_from').notNull().default(1),
    // The leaf of the active branch (messages form a tree through parent_id); null when empty.
    headId: text('head_id'),
    // 1 once any message has a sibling: until then every message is its parent's only child,
    // and reads need not look for siblings.
    branched: integer('branched').notNull().default(0),
    // Token usage summed over the conversation's replies (as the providers reported it).
    inputTokens: integer('input_tokens').notNull().default(0),
    outputTokens: integer('output_tokens').notNull().default(0),
    // The id a chat front-end chose for it (the AI SDK's chat id), unique per user.
    chatId: text('chat_id'),
    // The assistant that answers it (null: the default one). Not indexed: only deleting an
    // assistant looks conversations up by it (a rare scan).
    assistantId: text('assistant_id'),
  },
  (t) => [
    index('conversations_user_updated_idx').on(t.userId, t.updatedAt, t.id),
    index('conversations_updated_idx').on(t.updatedAt, t.id),
    // Partial: most conversations have no chat id, and need no entry (MySQL indexes them all).
    uniqueIndex('conversations_user_chat_idx').on(t.userId, t.chatId).where(sql`${t.chatId} is not null`),
  ],
)

export const messages = sqliteTable(
  'messages',
  {
    id: text('id').primaryKey(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    // The seq of the event that created the message: a per-conversation insertion sequence,
    // used to break ties between messages created in the same millisecond.
    seq: integer('seq').notNull(),
    sender: text('sender').notNull(),
    content: text('content').notNull(),
    metadata: text('metadata').notNull().default('{}'),
    clientId: text('client_id'),
    // For a bot reply: the user message it answers.
    replyTo: text('reply_to'),
    // The message before it in its branch (null for a first message). A child is always stored
    // after its parent, so a branch read in seq order is in conversation order.
    parentId: text('parent_id'),
    // 1 on the active branch (root to conversations.head_id): pages read only those rows.
    active: integer('active').notNull().default(1),
    // The message's typed parts as JSON; null when it is its content as one text part.
    parts: text('parts'),
    // For a bot reply: usage, model, finish reason and duration as JSON; null otherwise.
    generation: text('generation'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('messages_conversation_active_seq_idx').on(t.conversationId, t.active, t.seq),
    // Partial: only retried sends carry a client id; the others need no entry.
    uniqueIndex('messages_conversation_client_idx')
      .on(t.conversationId, t.clientId)
      .where(sql`${t.clientId} is not null`),
    index('messages_conversation_parent_idx').on(t.conversationId, t.parentId),
  ],
)

export const events = sqliteTable(
  'events',
  {
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    type: text('type').notNull(),
    payload: text('payload').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.seq] })],
)

// Which instance generates the reply of a conversation: one at a time across instances.
export const replyLeases = sqliteTable('reply_leases', {
  conversationId: text('conversation_id').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: integer('expires_at').notNull(),
})

// Uploaded files (and data URLs taken out of posted parts), bytes in the database: every
// instance reads them without shared disk or object storage.
export const files = sqliteTable(
  'files',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    mediaType: text('media_type').notNull(),
    filename: text('filename'),
    size: integer('size').notNull(),
    data: blob('data', { mode: 'buffer' }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('files_user_idx').on(t.userId, t.id)],
)

// Assistants created over the API; `spec` is their settings as JSON text.
export const assistants = sqliteTable('assistants', {
  id: text('id').primaryKey(),
  spec: text('spec').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
})

// Token usage per user, UTC day ('YYYY-MM-DD'), assistant and model ('' for none), added to in
// the same transaction as each bot reply and never subtracted (deleting messages keeps it).
export const usage = sqliteTable(
  'usage',
  {
    userId: text('user_id').notNull(),
    day: text('day').notNull(),
    assistantId: text('assistant_id').notNull(),
    model: text('model').notNull(),
    inputTokens: integer('input_tokens').notNull().default(0),
    outputTokens: integer('output_tokens').notNull().default(0),
    replies: integer('replies').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.day, t.assistantId, t.model] }),
    // Usage of every user over a range of days.
    index('usage_day_idx').on(t.day),
  ],
)

// Per-user limits set over the API, as JSON text.
export const quotas = sqliteTable('quotas', {
  userId: text('user_id').primaryKey(),
  limits: text('limits').notNull(),
  updatedAt: integer('updated_at').notNull(),
})

export const schema = { conversations, messages, events, replyLeases, files, assistants, usage, quotas }
