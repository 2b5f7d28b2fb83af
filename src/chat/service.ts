import { type Actor, isUser } from '../auth/actor'
import type { RateLimiter } from '../auth/rate-limit'
import { AppError, invalid, notFound, rateLimited } from '../errors'
import type {
  ConversationCreate,
  ConversationList,
  ConversationListQuery,
  ConversationPatch,
} from '../features/conversations/model'
import type { FileRules } from '../features/files/content'
import { dataUrlFiles, storeDataUrls } from '../features/files/data-url'
import type { MessageListQuery, MessagePage } from '../features/messages/model'
import type { Hub } from '../hub/hub'
import type { ReplyProgress } from '../hub/progress'
import { textOf } from '../storage/rows'
import {
  type ChatEvent,
  type Conversation,
  type ConversationBrief,
  type Message,
  type Metadata,
  MissingParent,
  type Part,
  type Sender,
  type Store,
} from '../storage/store'
import {
  checkContent,
  checkConversation,
  checkMessage,
  checkMetadata,
  checkParts,
  checkText,
  type Limits,
} from './checks'
import type { Replies, ReplyHandle } from './replies'

export type ChatDeps = {
  store: Store
  hub: Hub
  replies: Replies | null
  /** Replies generating on any instance (from the room events). */
  progress: ReplyProgress
  limits: Limits
  /** What a file carried in a message part (a data: URL) may be. */
  files: FileRules
  /** Counts messages that make the bot work, per actor. */
  messageLimiter: RateLimiter
}

/**
 * A user message to store and (optionally) answer: `content`, or `parts` (the content is then
 * their text). `parentId` branches (see NewMessage).
 */
export type Send = {
  content?: string | undefined
  parts?: Part[] | undefined
  parentId?: string | null | undefined
  clientId?: string | undefined
  metadata?: Metadata | undefined
}

/** A stored message, its creation event, and the reply queued for it (if any). */
export type Sent = { message: Message; event: ChatEvent; duplicate: boolean; reply: ReplyHandle | null }

/** Where a (re)joining client resumes: after `from`, or `resync` when the log no longer has it. */
export type ResumePoint = { seq: number; from: number | null; resync: boolean }

const REPLAY_BATCH = 500

// Ids are UUIDs: anything else cannot exist, so it is "not found" without a query.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const isId = (id: string) => UUID.test(id)

/**
 * Where a message's fields are reported in validation errors: in a REST body, or at the top
 * of a realtime event's data. Made once: a message is checked on every send.
 */
type Field = 'content' | 'clientId' | 'metadata' | 'reply' | 'parts' | 'parentId'
const FIELDS: Record<'body' | 'event', Record<Field, string[]>> = {
  body: {
    content: ['body', 'content'],
    clientId: ['body', 'client_id'],
    metadata: ['body', 'metadata'],
    reply: ['body', 'reply'],
    parts: ['body', 'parts'],
    parentId: ['body', 'parent_id'],
  },
  event: {
    content: ['content'],
    clientId: ['client_id'],
    metadata: ['metadata'],
    reply: ['reply'],
    parts: ['parts'],
    parentId: ['parent_id'],
  },
}

/** A message's content: given, or the text of its parts (which must then agree with it). */
function contentOf(input: Send, at: Record<Field, string[]>): string {
  if (input.parts === undefined) {
    if (input.content === undefined) throw invalid(at.content, 'Field required', 'missing')
    return input.content
  }
  const text = textOf(input.parts)
  if (input.content !== undefined && input.content !== text) {
    throw invalid(at.content, 'content must be the text parts, concatenated (or left out)', 'value_error')
  }
  return text
}

// Where a new conversation's fields are reported: in the REST body.
const CONVERSATION_FIELDS = { userId: ['body', 'user_id'], title: ['body', 'title'], metadata: ['body', 'metadata'] }

/** Messages shown with a conversation. */
export const RECENT_MESSAGES = 50
/** Messages per page of a conversation's tree, unless asked for fewer. */
export const TREE_PAGE = 500

/**
 * The chat semantics shared by every transport: storage, event publication and rules
 * (ownership, which messages may be edited, limits, paging). `as(actor)` gives the operations
 * as that actor may perform them: a user sees only their own conversations — anyone else's
 * answers "not found", so ids cannot be probed.
 */
export function createChatService({ store, hub, replies, progress, limits, files, messageLimiter }: ChatDeps) {
  // A class made once per service, so `as(actor)` per request is one small object, not a
  // closure per operation (~20 functions and their scopes per request).
  class Session {
    private readonly owner: string | null

    constructor(private readonly actor: Actor) {
      this.owner = isUser(actor) ? actor.userId : null
    }

    /** A conversation this actor may see: anyone else's is "not found", like a missing one. */
    private visible<C extends ConversationBrief>(found: C | null): C {
      if (!found || (this.owner !== null && found.user_id !== this.owner)) return notFound('conversation')
      return found
    }

    private async requireConversation(id: string): Promise<Conversation> {
      return this.visible(isId(id) ? await store.getConversation(id) : null)
    }

    /** Owner and message count only, where the rest of the conversation is not shown. */
    private async requireBrief(id: string): Promise<ConversationBrief> {
      return this.visible(isId(id) ? await store.getConversationBrief(id) : null)
    }

    /**
     * For writes that do not read the conversation first: users must prove ownership. A caller
     * acting for every user has nothing to wait for (no promise made on the hot paths).
     */
    private requireOwnership(id: string): Promise<unknown> | undefined {
      return this.owner === null ? undefined : this.requireBrief(id)
    }

    /** A message of a conversation this actor may see. */
    private async requireMessage(conversationId: string, messageId: string): Promise<Message> {
      await this.requireBrief(conversationId)
      const message = isId(messageId) ? await store.getMessage(conversationId, messageId) : null
      if (!message) return notFound('message')
      return message
    }

    /** A user message that exists in this conversation (only those may be edited or deleted). */
    private async requireUserMessage(conversationId: string, messageId: string): Promise<Message> {
      const message = await this.requireMessage(conversationId, messageId)
      if (message.sender !== 'user') return notFound('message')
      return message
    }

    /** Messages that make the bot work are the expensive path: limited per user (or address). */
    private takeMessageBudget() {
      const wait = messageLimiter.take(this.actor.rateKey)
      if (wait > 0) {
        throw rateLimited(`Too many messages; try again in ${wait} s`, wait)
      }
    }

    async createConversation(input: ConversationCreate) {
      // A user's conversations are theirs: the id comes from the token, not the body.
      if (this.owner !== null && input.user_id !== undefined && input.user_id !== this.owner) {
        throw new AppError('forbidden', 'user_id must be the authenticated user')
      }
      const userId = this.owner ?? input.user_id
      if (userId === undefined) throw invalid(['body', 'user_id'], 'Field required', 'missing')
      checkConversation({ userId, title: input.title, metadata: input.metadata }, CONVERSATION_FIELDS, limits)
      const conversation = await store.createConversation({
        userId,
        title: input.title ?? null,
        metadata: input.metadata ?? {},
      })
      return { ...conversation, messages: [] as Message[] }
    }

    /**
     * The conversation a chat front-end knows by `chatId` (the AI SDK's chat id), made on first
     * use: this user's (a user token's; else `userId`, or "anonymous" in open mode). A Parley
     * conversation id the actor may see works as a chat id too.
     */
    async openChat(chatId: string, userId: string | undefined, create = true): Promise<Conversation | null> {
      if (isId(chatId)) {
        const own = await store.getConversation(chatId)
        if (own && (this.owner === null || own.user_id === this.owner)) return own
      }
      if (this.owner !== null && userId !== undefined && userId !== this.owner) {
        throw new AppError('forbidden', 'user_id must be the authenticated user')
      }
      const owner = this.owner ?? userId ?? 'anonymous'
      checkText(chatId, ['body', 'id'])
      checkText(owner, ['body', 'user_id'])
      const found = await store.findChat(owner, chatId)
      if (found || !create) return found
      try {
        return await store.createConversation({ userId: owner, title: null, metadata: {}, chatId })
      } catch (error) {
        // Two first requests of one chat raced: the other made it.
        const made = await store.findChat(owner, chatId)
        if (made) return made
        throw error
      }
    }

    /** A message of a visible conversation, named by its id or by the id its client gave it. */
    async findMessage(conversationId: string, ref: string): Promise<Message | null> {
      await this.requireBrief(conversationId)
      const byId = isId(ref) ? await store.getMessage(conversationId, ref) : null
      return byId ?? (await store.getMessageByClientId(conversationId, ref))
    }

    async listConversations(q: ConversationListQuery): Promise<ConversationList> {
      if (this.owner !== null && q.user_id !== undefined && q.user_id !== this.owner) {
        throw new AppError('forbidden', "Listing another user's conversations is not allowed")
      }
      checkText(q.user_id, ['query', 'user_id'])
      const limit = q.limit ?? 20
      const invalidCursor = () => new AppError('invalid_cursor', 'Cursor does not name an existing conversation')
      if (q.before !== undefined && !isId(q.before)) throw invalidCursor()
      const rows = await store.listConversations({
        userId: this.owner ?? q.user_id,
        limit: limit + 1,
        beforeId: q.before,
      })
      if (!rows) throw invalidCursor()
      const conversations = rows.slice(0, limit)
      const hasMore = rows.length > limit
      return { conversations, has_more: hasMore, next_cursor: hasMore ? (conversations.at(-1)?.id ?? null) : null }
    }

    async getConversation(id: string) {
      const conversation = await this.requireConversation(id)
      const recent = (await store.listMessages(id, { limit: RECENT_MESSAGES, offset: 0 })) ?? []
      return { ...conversation, messages: recent.reverse() }
    }

    async updateConversation(id: string, patch: ConversationPatch): Promise<Conversation> {
      const current = await this.requireConversation(id)
      checkText(patch.title, ['body', 'title'])
      checkMetadata(patch.metadata, ['body', 'metadata'], limits)
      if (patch.title === undefined && patch.metadata === undefined) return current
      const result = await store.updateConversation(id, patch)
      if (!result) return notFound('conversation')
      hub.publish(result.event)
      return result.conversation
    }

    async deleteConversation(id: string): Promise<void> {
      await this.requireOwnership(id)
      const event = isId(id) ? await store.deleteConversation(id) : null
      if (!event) return notFound('conversation')
      hub.publish(event)
    }

    /**
     * Stores a message and publishes it; for a `user` message with `reply`, queues the bot's
     * answer. A `clientId` already used in the conversation stores nothing and returns the
     * stored message (`duplicate`), without a new reply. A file part's data: URL is stored as
     * a file of the conversation's owner, and the part names it (`/files/{id}`) instead.
     */
    async postMessage(
      conversationId: string,
      input: Send & { sender: Sender; reply?: boolean | undefined },
      from: keyof typeof FIELDS = 'body',
    ): Promise<Sent> {
      const at = FIELDS[from]
      const content = contentOf(input, at)
      // Parts first: a bad character in a text part is reported there, not in the content made of it.
      checkParts(input.parts, at.parts, limits, { dataUrls: true })
      checkMessage({ ...input, content }, at, limits)
      // Content may be empty only when other parts carry the message (a file, say).
      if (content === '' && input.parts?.every((p) => p.type === 'text')) {
        throw invalid(at.parts, 'A message needs some text or a non-text part', 'value_error')
      }
      if (input.reply && input.sender !== 'user') {
        throw invalid(at.reply, 'Only user messages get a bot reply', 'value_error')
      }
      if (!isId(conversationId)) return notFound('conversation')
      const { parentId } = input
      const missingParent = () =>
        invalid(at.parentId, 'parent_id does not name a message of this conversation', 'missing_parent')
      if (typeof parentId === 'string' && !isId(parentId)) throw missingParent()
      const pending = dataUrlFiles(input.parts, files, at.parts)
      // The files' owner is the conversation's, whoever posts: read it, which also proves access.
      const owner = pending.length ? (await this.requireBrief(conversationId)).user_id : null
      if (owner === null) await this.requireOwnership(conversationId)
      // A file is stored only for a message that will be: a bad parent must not leave one behind.
      if (pending.length && typeof parentId === 'string' && !(await store.getMessage(conversationId, parentId))) {
        throw missingParent()
      }
      if (input.reply && replies) this.takeMessageBudget()
      const parts = owner === null ? input.parts : await storeDataUrls(store, input.parts ?? [], pending, owner)
      const result = await store
        .createMessage({
          conversationId,
          sender: input.sender,
          content,
          parts,
          metadata: input.metadata ?? {},
          clientId: input.clientId,
          parentId,
        })
        .catch((error) => {
          throw error instanceof MissingParent ? missingParent() : error
        })
      if (!result) return notFound('conversation')
      if (result.duplicate) return { ...result, reply: null }
      hub.publish(result.event)
      const reply = input.reply && replies ? replies.enqueue(conversationId, result.message) : null
      return { ...result, reply }
    }

    /** A user message from a realtime client: stored, published and answered. */
    sendMessage(conversationId: string, input: Send): Promise<Sent> {
      return this.postMessage(conversationId, { ...input, sender: 'user', reply: true }, 'event')
    }

    /**
     * Generates another reply to a user message: stored as a sibling of the earlier replies
     * (which stay), and made the active branch. Fails when the bot is off.
     */
    async regenerate(conversationId: string, messageId: string): Promise<{ message: Message; reply: ReplyHandle }> {
      const message = await this.requireUserMessage(conversationId, messageId)
      if (!replies) throw new AppError('bot_disabled', 'No bot is configured (BOT_PROVIDER=none)')
      this.takeMessageBudget()
      return { message, reply: replies.enqueue(conversationId, message, { regenerate: true }) }
    }

    /** Stops the conversation's reply in progress; false when none was running. */
    async stopGeneration(conversationId: string): Promise<boolean> {
      await this.requireBrief(conversationId)
      if (replies?.stop(conversationId)) return true
      if (!progress.get(conversationId)) return false
      hub.requestStop(conversationId) // it runs on another instance
      return true
    }

    /**
     * The reply generating for a conversation here or on another instance, with its text so
     * far: read from the room's own events, which every instance receives.
     */
    replyInProgress(conversationId: string) {
      return progress.get(conversationId)
    }

    /** Resolves a join's `since_seq` / `since` (a message id) against the conversation's log. */
    async resumePoint(conversationId: string, since: { seq?: number; messageId?: string }): Promise<ResumePoint> {
      await this.requireOwnership(conversationId)
      const seq = isId(conversationId) ? await store.lastSeq(conversationId) : null
      if (seq === null) return notFound('conversation')
      let from: number | null = since.seq ?? null
      if (since.messageId !== undefined) {
        from = isId(since.messageId) ? await store.messageSeq(conversationId, since.messageId) : null
        if (from === null) return { seq, from: null, resync: true }
      }
      return { seq, from, resync: from !== null && from > seq }
    }

    /** Stored events after `from`, in order; throws `resync` when the log was pruned past it. */
    async *eventsAfter(conversationId: string, from: number): AsyncGenerator<ChatEvent> {
      await this.requireOwnership(conversationId)
      for (let after = from; ; ) {
        const batch = await store.eventsAfter(conversationId, after, REPLAY_BATCH)
        if (batch === null) throw new AppError('resync_required', 'The event log no longer holds that point')
        yield* batch
        if (batch.length < REPLAY_BATCH) return
        after = (batch.at(-1) as ChatEvent).seq
      }
    }

    async listMessages(conversationId: string, q: MessageListQuery): Promise<MessagePage> {
      const cursorMode = q.before !== undefined || q.limit !== undefined
      const size = (cursorMode ? q.limit : q.size) ?? q.size ?? 10
      const page = q.page ?? 1
      const offset = cursorMode ? 0 : (page - 1) * size
      // From an offset the maintained count says whether more follow; before a cursor, one
      // row past the page does.
      const window = q.before !== undefined ? { limit: size + 1, beforeId: q.before } : { limit: size, offset }
      const found = isId(conversationId) ? await store.pageMessages(conversationId, window) : null
      const { message_count: total } = this.visible(found?.conversation ?? null)
      const rows = found?.messages
      if (!rows) throw new AppError('invalid_cursor', 'Cursor does not name a message of this conversation')
      const messages = rows.length > size ? rows.slice(0, size) : rows
      const hasMore = q.before !== undefined ? rows.length > size : offset + rows.length < total
      const next_cursor = hasMore ? (messages.at(-1)?.id ?? null) : null
      if (cursorMode) return { messages, total, has_more: hasMore, next_cursor }
      return { messages, total, page, size, pages: Math.ceil(total / size), has_more: hasMore, next_cursor }
    }

    async editMessage(conversationId: string, messageId: string, content: string): Promise<Message> {
      checkContent(content, ['body', 'content'], limits.maxMessageLength)
      await this.requireUserMessage(conversationId, messageId)
      const result = await store.updateMessage(conversationId, messageId, content)
      if (!result) return notFound('message')
      hub.publish(result.event)
      return result.message
    }

    /**
     * Deletes a user message (its children move up to its parent) or, with `subtree`, any
     * message with every message below it.
     */
    async deleteMessage(conversationId: string, messageId: string, subtree = false): Promise<void> {
      if (subtree) await this.requireMessage(conversationId, messageId)
      else await this.requireUserMessage(conversationId, messageId)
      const event = await store.deleteMessage(conversationId, messageId, { subtree })
      if (!event) return notFound('message')
      hub.publish(event)
    }

    /** Switches branch: the head moves to the newest leaf below `messageId`. */
    async setHead(conversationId: string, messageId: string): Promise<{ head_id: string }> {
      await this.requireBrief(conversationId)
      const result = isId(messageId) ? await store.setHead(conversationId, messageId) : null
      if (!result) return notFound('message')
      if (result.event) hub.publish(result.event)
      return { head_id: result.headId }
    }

    /** The whole tree in seq order (parents first), a bounded page at a time. */
    async tree(conversationId: string, q: { after?: string | undefined; limit?: number | undefined }) {
      await this.requireBrief(conversationId)
      const limit = q.limit ?? TREE_PAGE
      let afterSeq = 0
      if (q.after !== undefined) {
        const seq = isId(q.after) ? await store.messageSeq(conversationId, q.after) : null
        if (seq === null) throw new AppError('invalid_cursor', 'Cursor does not name a message of this conversation')
        afterSeq = seq
      }
      const page = await store.tree(conversationId, afterSeq, limit)
      if (!page) return notFound('conversation')
      const next = page.hasMore ? (page.messages.at(-1)?.id ?? null) : null
      return { head_id: page.headId, messages: page.messages, has_more: page.hasMore, next_cursor: next }
    }
  }

  return { as: (actor: Actor) => new Session(actor) }
}

export type ChatService = ReturnType<typeof createChatService>
