/** A JSON object as stored in `metadata` columns. */
export type Metadata = Record<string, unknown>
export type Sender = 'user' | 'ai'

/** A conversation as the API shows it (timestamps are ISO-8601 UTC with milliseconds). */
export type Conversation = {
  id: string
  user_id: string
  title: string | null
  metadata: Metadata
  created_at: string
  updated_at: string
  /** Messages on the active branch (root to head). */
  message_count: number
  /** The leaf of the active branch; null when the conversation has no message. */
  head_id: string | null
  /** Tokens its replies used, summed as the providers reported them (or as estimated). */
  usage: { input_tokens: number; output_tokens: number }
  /** The assistant that answers it; null: the default assistant. */
  assistant_id: string | null
}

/** What access checks and paging need of a conversation. */
export type ConversationBrief = Pick<Conversation, 'user_id' | 'message_count'>

/** Where a tool call stands (the AI SDK's states). */
export type ToolState =
  | 'input-streaming'
  | 'input-available'
  | 'approval-requested'
  | 'approval-responded'
  | 'output-available'
  | 'output-error'
  | 'output-denied'

/** One typed piece of a message, in order. `content` is the concatenation of the text parts. */
export type Part =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | {
      type: 'tool-call'
      toolCallId: string
      toolName: string
      input: unknown
      state: ToolState
      output?: unknown
      errorText?: string
      /** How long the call took (set once it has a result). */
      durationMs?: number
      /** For a tool that needs approval: the request's id and the user's answer. */
      approval?: { id: string; approved?: boolean; reason?: string }
    }
  | { type: 'file'; mediaType: string; url: string; filename?: string }
  | { type: 'source-url'; sourceId: string; url: string; title?: string }
  | { type: 'data'; name: string; data: unknown }

/** How a bot reply was made. */
export type Generation = {
  /** The assistant that replied (null: replies made before assistants existed). */
  assistant_id?: string | null
  model: string | null
  finish_reason: string | null
  /** Null when nothing was reported or estimated. `estimated`: counted by Parley, not the provider. */
  usage: { input_tokens: number; output_tokens: number; estimated: boolean } | null
  duration_ms: number
}

export type Message = {
  id: string
  conversation_id: string
  sender: Sender
  /** The text parts, concatenated. */
  content: string
  metadata: Metadata
  /** For a bot reply, the user message it answers; null otherwise. */
  reply_to: string | null
  /** The message before it in its branch; null for a first message. */
  parent_id: string | null
  /** The ids of the messages with the same parent, this one included, oldest first. */
  siblings: string[]
  parts: Part[]
  /** For a bot reply: model, finish reason, usage and duration; null otherwise. */
  generation: Generation | null
  created_at: string
  updated_at: string
}

/** Thrown when a new message names a parent that is not a message of its conversation. */
export class MissingParent extends Error {
  constructor() {
    super('parent_id does not name a message of this conversation')
  }
}

/**
 * Who may change a message, checked in the transaction that changes it (no reads before it):
 * the conversation's owner, when given, and the message's sender, when given.
 */
export type MessageGuard = { userId?: string | undefined; sender?: Sender | undefined }

/** Thrown by a guarded change: the conversation or the message is not one the caller may change. */
export class Hidden extends Error {
  constructor(readonly what: 'conversation' | 'message') {
    super(`${what} not found`)
  }
}

/**
 * A change to a conversation, appended to its event log in the same transaction as the change.
 * `seq` is the conversation's event sequence: 1, 2, 3… without gaps.
 */
export type ChatEvent =
  | { type: 'new_message'; conversationId: string; seq: number; message: Message; headId: string | null }
  | { type: 'message_updated'; conversationId: string; seq: number; message: Message }
  | {
      type: 'message_deleted'
      conversationId: string
      seq: number
      messageId: string
      /** Where its children were re-attached (a single delete), and every id removed. */
      parentId: string | null
      deletedIds: string[]
      headId: string | null
    }
  | { type: 'head_changed'; conversationId: string; seq: number; headId: string | null; messageCount: number }
  | { type: 'conversation_updated'; conversationId: string; seq: number; conversation: Conversation }
  | { type: 'conversation_deleted'; conversationId: string; seq: number }

export type NewConversation = {
  userId: string
  title: string | null
  metadata: Metadata
  /** The id a chat front-end chose (unique per user; a second one is a unique violation). */
  chatId?: string | undefined
  /** The assistant that answers it; null or absent: the default one. */
  assistantId?: string | null | undefined
}
export type ConversationPatch = { title?: string | null; metadata?: Metadata; assistantId?: string | null }
export type NewMessage = {
  /** Pre-assigned when the id was announced before the message was stored (streamed replies). */
  id?: string | undefined
  conversationId: string
  sender: Sender
  content: string
  metadata: Metadata
  clientId?: string | undefined
  /**
   * Undefined: appended at the head. A message id (or null for a new first message): a new
   * branch from there, which becomes the active one.
   */
  parentId?: string | null | undefined
  /**
   * For a bot reply, the message it answers: without `parentId` the reply goes at the head
   * while that message is on the active branch, and under it (not moving the head) otherwise.
   */
  replyTo?: string | undefined
  /** Omitted (or one text part equal to `content`): the content as one text part. */
  parts?: Part[] | undefined
  generation?: Generation | undefined
}

/** A stored file as the API shows it, without its bytes. */
export type StoredFile = {
  id: string
  user_id: string
  media_type: string
  filename: string | null
  /** Bytes. */
  size: number
  created_at: string
}

/** An assistant created over the API; `spec` is its settings as JSON (checked by the caller). */
export type StoredAssistant = { id: string; spec: Metadata; created_at: string; updated_at: string }

/** Token usage of one user's replies on one UTC day, from one assistant and model. */
export type UsageRow = {
  user_id: string
  /** UTC date, YYYY-MM-DD. */
  day: string
  /** '' for replies without an assistant or model. */
  assistant_id: string
  model: string
  input_tokens: number
  output_tokens: number
  replies: number
}
export type UsageQuery = {
  userId?: string | undefined
  assistantId?: string | undefined
  model?: string | undefined
  /** Inclusive UTC days, YYYY-MM-DD. */
  from?: string | undefined
  to?: string | undefined
  limit: number
}

/** A slice of a conversation's whole tree, in seq order (parents before children). */
export type TreePage = { headId: string | null; messages: Message[]; hasMore: boolean }

/** Where a page of messages starts: an offset (page mode) or strictly before a message (cursor). */
export type MessageWindow = { limit: number } & ({ offset: number } | { beforeId: string })

/**
 * Persistence for conversations, messages and their event log. Every write that changes a
 * conversation returns the event it appended; reads return API-shaped records.
 * `null` means "no such conversation/message" — the caller decides what that means.
 */
export interface Store {
  createConversation(input: NewConversation): Promise<Conversation>
  /** The user's conversation a chat front-end knows by `chatId`, or null. */
  findChat(userId: string, chatId: string): Promise<Conversation | null>
  getConversation(id: string): Promise<Conversation | null>
  /** Who owns a conversation and how many messages it has, without the rest of it: null when it does not exist. */
  getConversationBrief(id: string): Promise<ConversationBrief | null>
  /**
   * Newest-updated first; `beforeId` is the last conversation of the previous page. `null` when
   * `beforeId` names no conversation of the listed set (of `userId`, when given).
   */
  listConversations(q: {
    userId?: string | undefined
    limit: number
    beforeId?: string | undefined
  }): Promise<Conversation[] | null>
  updateConversation(
    id: string,
    patch: ConversationPatch,
  ): Promise<{ conversation: Conversation; event: ChatEvent } | null>
  deleteConversation(id: string): Promise<ChatEvent | null>

  /**
   * With a `clientId` already used in that conversation, stores nothing and returns the stored
   * message, its creation event and `duplicate: true`.
   */
  createMessage(input: NewMessage): Promise<{ message: Message; event: ChatEvent; duplicate: boolean } | null>
  getMessage(conversationId: string, id: string): Promise<Message | null>
  /** The message a client posted with `clientId` in that conversation, or null. */
  getMessageByClientId(conversationId: string, clientId: string): Promise<Message | null>
  /** Newest first. `null` when `beforeId` names no message of that conversation. */
  listMessages(conversationId: string, window: MessageWindow): Promise<Message[] | null>
  /**
   * The conversation's brief and a page of its messages (as `listMessages`), read together:
   * on SQLite from one snapshot, so the count and the page agree. `null` when the
   * conversation does not exist.
   */
  pageMessages(
    conversationId: string,
    window: MessageWindow,
  ): Promise<{ conversation: ConversationBrief; messages: Message[] | null } | null>
  /** Null when there is no such message; with a `guard`, throws Hidden instead. */
  updateMessage(
    conversationId: string,
    id: string,
    content: string,
    guard?: MessageGuard,
  ): Promise<{ message: Message; event: ChatEvent } | null>
  /**
   * Deletes one message (its children are re-attached to its parent) or, with `subtree`, the
   * message and everything below it. A deleted head moves to the parent. Null when there is no
   * such message; with a `guard`, throws Hidden instead.
   */
  deleteMessage(
    conversationId: string,
    id: string,
    options?: { subtree?: boolean; guard?: MessageGuard },
  ): Promise<ChatEvent | null>
  /**
   * Makes the newest leaf below `messageId` the head (the message itself when it is a leaf):
   * null when no such message. `event` is null when the head did not move.
   */
  setHead(conversationId: string, messageId: string): Promise<{ headId: string; event: ChatEvent | null } | null>
  /** Messages of the whole tree with seq > `afterSeq`, in seq order; null when no conversation. */
  tree(conversationId: string, afterSeq: number, limit: number): Promise<TreePage | null>
  /** Up to `limit` messages ending with `messageId`, along its branch, oldest first. */
  ancestors(conversationId: string, messageId: string, limit: number): Promise<Message[]>

  /** The conversation's latest event seq, or null when it does not exist. */
  lastSeq(conversationId: string): Promise<number | null>
  /** The seq of the event that created a message, or null. */
  messageSeq(conversationId: string, messageId: string): Promise<number | null>
  /**
   * Up to `limit` logged events with seq > `afterSeq`, in order (a message appended at the head
   * is replayed from its row, as it is now; one deleted since leaves a hole); `null` when the log
   * no longer reaches back to `afterSeq` (pruned, or an import: the caller must resync).
   */
  eventsAfter(conversationId: string, afterSeq: number, limit: number): Promise<ChatEvent[] | null>

  /**
   * Takes (or renews) the conversation's reply lease for `holder` until now + ttlMs; false
   * while another holder's lease is unexpired. Keeps replies of one conversation on one
   * instance at a time.
   */
  acquireLease(conversationId: string, holder: string, ttlMs: number): Promise<boolean>
  releaseLease(conversationId: string, holder: string): Promise<void>

  /** Stores a file's bytes (already checked by the caller) under a new id. */
  putFile(input: { userId: string; mediaType: string; filename: string | null; data: Uint8Array }): Promise<StoredFile>
  /** A file and its bytes; null when no such file. Access is the caller's to check. */
  getFile(id: string): Promise<{ file: StoredFile; data: Uint8Array } | null>
  /** Removes a file; false when there was none. Access is the caller's to check. */
  deleteFile(id: string): Promise<boolean>

  /** Assistants created over the API, by id (in code point order). */
  listAssistants(): Promise<StoredAssistant[]>
  getAssistant(id: string): Promise<StoredAssistant | null>
  /** Null when an assistant with that id exists. */
  createAssistant(id: string, spec: Metadata): Promise<StoredAssistant | null>
  /** Replaces the spec; null when no such assistant. */
  updateAssistant(id: string, spec: Metadata): Promise<StoredAssistant | null>
  /**
   * Removes it and, in the same transaction, moves its conversations to the default assistant
   * (assistant_id null). False when there was none.
   */
  deleteAssistant(id: string): Promise<boolean>

  /**
   * Usage rows matching the query, newest day first (then user, assistant, model), at most
   * `limit`, and the totals over every matching row. A bot reply stored with a `generation`
   * adds to its row (the conversation owner's, the UTC day of the reply, `generation.assistant_id`
   * and `generation.model`) in the same transaction.
   * Ties are in code point order on every dialect. `limit: 0` reads the totals alone. Keys are
   * kept as every database can store them: the model cut to 200 characters and the assistant id
   * to 64, without NULs (storage/drizzle-usage.ts). Deleting messages takes nothing back.
   */
  usage(
    q: UsageQuery,
  ): Promise<{ rows: UsageRow[]; totals: { input_tokens: number; output_tokens: number; replies: number } }>
  /** A user's per-user limits (JSON set over the API), or null. */
  getQuota(userId: string): Promise<Metadata | null>
  /** Whether any user has limits of their own. */
  anyQuotas(): Promise<boolean>
  /** Sets (limits) or removes (null) a user's limits. */
  setQuota(userId: string, limits: Metadata | null): Promise<void>

  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>
  close(): Promise<void>
}
