import { sql } from 'drizzle-orm'
import {
  bigint,
  customType,
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core'

// Mirrors schema/sqlite.ts column for column (checked in schema/index.ts). Timestamps are epoch
// milliseconds (bigint read as a JS number); JSON is text, so it round-trips byte for byte
// (jsonb would reorder keys).
const ms = (name: string) => bigint(name, { mode: 'number' })

export const conversations = pgTable(
  'conversations',
  {
    id: varchar('id', { length: 36 }).primaryKey(),
    userId: varchar('user_id', { length: 256 }).notNull(),
    title: text('title'),
    metadata: text('metadata').notNull().default('{}'),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
    messageCount: integer('message_count').notNull().default(0),
    lastSeq: integer('last_seq').notNull().default(0),
    // The first seq the log can replay from: new_message events of appended messages are the
    // messages themselves (seq), the rest are rows of events, pruned below it. After an import, the
    // seq after last_seq (the log is not exported).
    logFrom: integer('log_from').notNull().default(1),
    headId: varchar('head_id', { length: 36 }),
    branched: smallint('branched').notNull().default(0),
    inputTokens: integer('input_tokens').notNull().default(0),
    outputTokens: integer('output_tokens').notNull().default(0),
    chatId: varchar('chat_id', { length: 128 }),
    assistantId: text('assistant_id'),
  },
  (t) => [
    index('conversations_user_updated_idx').on(t.userId, t.updatedAt, t.id),
    index('conversations_updated_idx').on(t.updatedAt, t.id),
    // Partial: most conversations have no chat id, and need no entry (MySQL indexes them all).
    uniqueIndex('conversations_user_chat_idx').on(t.userId, t.chatId).where(sql`${t.chatId} is not null`),
  ],
)

export const messages = pgTable(
  'messages',
  {
    id: varchar('id', { length: 36 }).primaryKey(),
    conversationId: varchar('conversation_id', { length: 36 })
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    sender: varchar('sender', { length: 8 }).notNull(),
    content: text('content').notNull(),
    metadata: text('metadata').notNull().default('{}'),
    clientId: varchar('client_id', { length: 128 }),
    replyTo: varchar('reply_to', { length: 36 }),
    parentId: varchar('parent_id', { length: 36 }),
    active: smallint('active').notNull().default(1),
    parts: text('parts'),
    generation: text('generation'),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
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

export const events = pgTable(
  'events',
  {
    conversationId: varchar('conversation_id', { length: 36 })
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    type: varchar('type', { length: 32 }).notNull(),
    payload: text('payload').notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.seq] })],
)

export const replyLeases = pgTable('reply_leases', {
  conversationId: varchar('conversation_id', { length: 36 }).primaryKey(),
  holder: varchar('holder', { length: 64 }).notNull(),
  expiresAt: ms('expires_at').notNull(),
})

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' })

export const files = pgTable(
  'files',
  {
    id: varchar('id', { length: 36 }).primaryKey(),
    userId: varchar('user_id', { length: 256 }).notNull(),
    mediaType: varchar('media_type', { length: 255 }).notNull(),
    filename: text('filename'),
    size: integer('size').notNull(),
    data: bytea('data').notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [index('files_user_idx').on(t.userId, t.id)],
)

export const assistants = pgTable('assistants', {
  id: varchar('id', { length: 64 }).primaryKey(),
  spec: text('spec').notNull(),
  createdAt: ms('created_at').notNull(),
  updatedAt: ms('updated_at').notNull(),
})

// Counters are bigint: a day of one user's tokens summed over every conversation.
export const usage = pgTable(
  'usage',
  {
    userId: varchar('user_id', { length: 256 }).notNull(),
    day: varchar('day', { length: 10 }).notNull(),
    assistantId: varchar('assistant_id', { length: 64 }).notNull(),
    model: varchar('model', { length: 200 }).notNull(),
    inputTokens: bigint('input_tokens', { mode: 'number' }).notNull().default(0),
    outputTokens: bigint('output_tokens', { mode: 'number' }).notNull().default(0),
    replies: bigint('replies', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.userId, t.day, t.assistantId, t.model] }), index('usage_day_idx').on(t.day)],
)

export const quotas = pgTable('quotas', {
  userId: varchar('user_id', { length: 256 }).primaryKey(),
  limits: text('limits').notNull(),
  updatedAt: ms('updated_at').notNull(),
})

export const schema = { conversations, messages, events, replyLeases, files, assistants, usage, quotas }
