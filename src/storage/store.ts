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
  message_count: number
}

/** What access checks and paging need of a conversation. */
export type ConversationBrief = Pick<Conversation, 'user_id' | 'message_count'>

export type Message = {
  id: string
  conversation_id: string
  sender: Sender
  content: string
  metadata: Metadata
  /** For a bot reply, the user message it answers; null otherwise. */
  reply_to: string | null
  created_at: string
  updated_at: string
}

/**
 * A change to a conversation, appended to its event log in the same transaction as the change.
 * `seq` is the conversation's event sequence: 1, 2, 3… without gaps.
 */
export type ChatEvent =
  | { type: 'new_message'; conversationId: string; seq: number; message: Message }
  | { type: 'message_updated'; conversationId: string; seq: number; message: Message }
  | { type: 'message_deleted'; conversationId: string; seq: number; messageId: string }
  | { type: 'conversation_updated'; conversationId: string; seq: number; conversation: Conversation }
  | { type: 'conversation_deleted'; conversationId: string; seq: number }

export type NewConversation = { userId: string; title: string | null; metadata: Metadata }
export type ConversationPatch = { title?: string | null; metadata?: Metadata }
export type NewMessage = {
  /** Pre-assigned when the id was announced before the message was stored (streamed replies). */
  id?: string | undefined
  conversationId: string
  sender: Sender
  content: string
  metadata: Metadata
  clientId?: string | undefined
  replyTo?: string | undefined
}

/** Where a page of messages starts: an offset (page mode) or strictly before a message (cursor). */
export type MessageWindow = { limit: number } & ({ offset: number } | { beforeId: string })

/**
 * Persistence for conversations, messages and their event log. Every write that changes a
 * conversation returns the event it appended; reads return API-shaped records.
 * `null` means "no such conversation/message" — the caller decides what that means.
 */
export interface Store {
  createConversation(input: NewConversation): Promise<Conversation>
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
  updateMessage(
    conversationId: string,
    id: string,
    content: string,
  ): Promise<{ message: Message; event: ChatEvent } | null>
  deleteMessage(conversationId: string, id: string): Promise<ChatEvent | null>
  /** The bot replies stored for a user message. */
  findReplies(conversationId: string, messageId: string): Promise<Message[]>

  /** The conversation's latest event seq, or null when it does not exist. */
  lastSeq(conversationId: string): Promise<number | null>
  /** The seq of the event that created a message, or null. */
  messageSeq(conversationId: string, messageId: string): Promise<number | null>
  /**
   * Up to `limit` stored events with seq > `afterSeq`, in order; `null` when events after
   * `afterSeq` were already pruned from the log (the caller must resync).
   */
  eventsAfter(conversationId: string, afterSeq: number, limit: number): Promise<ChatEvent[] | null>

  /**
   * Takes (or renews) the conversation's reply lease for `holder` until now + ttlMs; false
   * while another holder's lease is unexpired. Keeps replies of one conversation on one
   * instance at a time.
   */
  acquireLease(conversationId: string, holder: string, ttlMs: number): Promise<boolean>
  releaseLease(conversationId: string, holder: string): Promise<void>

  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>
  close(): Promise<void>
}
