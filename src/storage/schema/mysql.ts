import {
  bigint,
  customType,
  index,
  int,
  mediumtext,
  mysqlTable,
  primaryKey,
  text,
  tinyint,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core'

// Mirrors schema/sqlite.ts column for column (checked in schema/index.ts). MySQL cannot index
// TEXT keys, so ids are varchar(36) on every dialect; message content is MEDIUMTEXT because
// TEXT holds only 64 KiB and a 32768-character message in utf8mb4 can take 128 KiB. The
// database is utf8mb4 (first migration: 4-byte emoji are stored) with a NO PAD binary collation
// (0002_nopad_keys: utf8mb4_bin's PAD SPACE made 'k ' = 'k'), so every key compares exactly, as
// on the other dialects. Drizzle cannot declare a collation: custom migrations set it, and
// tables made later (assistants, usage, quotas: 0005_assistants) take the database's NO PAD default.
const ms = (name: string) => bigint(name, { mode: 'number' })

export const conversations = mysqlTable(
  'conversations',
  {
    id: varchar('id', { length: 36 }).primaryKey(),
    userId: varchar('user_id', { length: 256 }).notNull(),
    title: text('title'),
    metadata: mediumtext('metadata').notNull(),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
    messageCount: int('message_count').notNull().default(0),
    lastSeq: int('last_seq').notNull().default(0),
    // The first seq the log can replay from: new_message events of appended messages are the
    // messages themselves (seq), the rest are rows of events, pruned below it. After an import, the
    // seq after last_seq (the log is not exported).
    logFrom: int('log_from').notNull().default(1),
    headId: varchar('head_id', { length: 36 }),
    branched: tinyint('branched').notNull().default(0),
    inputTokens: int('input_tokens').notNull().default(0),
    outputTokens: int('output_tokens').notNull().default(0),
    chatId: varchar('chat_id', { length: 128 }),
    assistantId: text('assistant_id'),
  },
  (t) => [
    index('conversations_user_updated_idx').on(t.userId, t.updatedAt, t.id),
    index('conversations_updated_idx').on(t.updatedAt, t.id),
    uniqueIndex('conversations_user_chat_idx').on(t.userId, t.chatId),
  ],
)

export const messages = mysqlTable(
  'messages',
  {
    id: varchar('id', { length: 36 }).primaryKey(),
    conversationId: varchar('conversation_id', { length: 36 })
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    seq: int('seq').notNull(),
    sender: varchar('sender', { length: 8 }).notNull(),
    content: mediumtext('content').notNull(),
    metadata: mediumtext('metadata').notNull(),
    clientId: varchar('client_id', { length: 128 }),
    replyTo: varchar('reply_to', { length: 36 }),
    parentId: varchar('parent_id', { length: 36 }),
    active: tinyint('active').notNull().default(1),
    parts: mediumtext('parts'),
    generation: mediumtext('generation'),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [
    index('messages_conversation_active_seq_idx').on(t.conversationId, t.active, t.seq),
    uniqueIndex('messages_conversation_client_idx').on(t.conversationId, t.clientId),
    index('messages_conversation_parent_idx').on(t.conversationId, t.parentId),
  ],
)

export const events = mysqlTable(
  'events',
  {
    conversationId: varchar('conversation_id', { length: 36 })
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    seq: int('seq').notNull(),
    type: varchar('type', { length: 32 }).notNull(),
    payload: mediumtext('payload').notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.seq] })],
)

export const replyLeases = mysqlTable('reply_leases', {
  conversationId: varchar('conversation_id', { length: 36 }).primaryKey(),
  holder: varchar('holder', { length: 64 }).notNull(),
  expiresAt: ms('expires_at').notNull(),
})

const longblob = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'longblob' })

export const files = mysqlTable(
  'files',
  {
    id: varchar('id', { length: 36 }).primaryKey(),
    userId: varchar('user_id', { length: 256 }).notNull(),
    mediaType: varchar('media_type', { length: 255 }).notNull(),
    filename: text('filename'),
    size: int('size').notNull(),
    data: longblob('data').notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [index('files_user_idx').on(t.userId, t.id)],
)

export const assistants = mysqlTable('assistants', {
  id: varchar('id', { length: 64 }).primaryKey(),
  spec: mediumtext('spec').notNull(),
  createdAt: ms('created_at').notNull(),
  updatedAt: ms('updated_at').notNull(),
})

// The key is at most 530 characters, 2120 bytes in utf8mb4: within InnoDB's 3072-byte limit.
// Counters are bigint: a day of one user's tokens summed over every conversation.
export const usage = mysqlTable(
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

export const quotas = mysqlTable('quotas', {
  userId: varchar('user_id', { length: 256 }).primaryKey(),
  limits: mediumtext('limits').notNull(),
  updatedAt: ms('updated_at').notNull(),
})

export const schema = { conversations, messages, events, replyLeases, files, assistants, usage, quotas }
