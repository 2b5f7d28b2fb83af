import { AppError, invalid, notFound } from '../errors'
import type {
  ConversationCreate,
  ConversationList,
  ConversationListQuery,
  ConversationPatch,
} from '../features/conversations/model'
import type { Conversation, Message } from '../storage/store'
import { Access } from './access'
import { checkConversation, checkMetadata, checkText } from './checks'
import { CONVERSATION_FIELDS, isId, RECENT_MESSAGES } from './message-input'

/** The conversation operations of a session (see Access for who may do what). */
export class ConversationOps extends Access {
  async createConversation(input: ConversationCreate) {
    // A user's conversations are theirs: the id comes from the token, not the body.
    if (this.owner !== null && input.user_id !== undefined && input.user_id !== this.owner) {
      throw new AppError('forbidden', 'user_id must be the authenticated user')
    }
    const userId = this.owner ?? input.user_id
    if (userId === undefined) throw invalid(['body', 'user_id'], 'Field required', 'missing')
    checkConversation({ userId, title: input.title, metadata: input.metadata }, CONVERSATION_FIELDS, this.d.limits)
    await this.d.assistants.check(input.assistant_id, ['body', 'assistant_id'])
    const conversation = await this.d.store.createConversation({
      userId,
      title: input.title ?? null,
      metadata: input.metadata ?? {},
      assistantId: input.assistant_id ?? null,
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
      const own = await this.d.store.getConversation(chatId)
      if (own && (this.owner === null || own.user_id === this.owner)) return own
    }
    if (this.owner !== null && userId !== undefined && userId !== this.owner) {
      throw new AppError('forbidden', 'user_id must be the authenticated user')
    }
    const owner = this.owner ?? userId ?? 'anonymous'
    checkText(chatId, ['body', 'id'])
    checkText(owner, ['body', 'user_id'])
    const found = await this.d.store.findChat(owner, chatId)
    if (found || !create) return found
    try {
      return await this.d.store.createConversation({ userId: owner, title: null, metadata: {}, chatId })
    } catch (error) {
      // Two first requests of one chat raced: the other made it.
      const made = await this.d.store.findChat(owner, chatId)
      if (made) return made
      throw error
    }
  }

  /** A message of a visible conversation, named by its id or by the id its client gave it. */
  async findMessage(conversationId: string, ref: string): Promise<Message | null> {
    await this.requireBrief(conversationId)
    const byId = isId(ref) ? await this.d.store.getMessage(conversationId, ref) : null
    return byId ?? (await this.d.store.getMessageByClientId(conversationId, ref))
  }

  async listConversations(q: ConversationListQuery): Promise<ConversationList> {
    if (this.owner !== null && q.user_id !== undefined && q.user_id !== this.owner) {
      throw new AppError('forbidden', "Listing another user's conversations is not allowed")
    }
    checkText(q.user_id, ['query', 'user_id'])
    const limit = q.limit ?? 20
    const invalidCursor = () => new AppError('invalid_cursor', 'Cursor does not name an existing conversation')
    if (q.before !== undefined && !isId(q.before)) throw invalidCursor()
    const rows = await this.d.store.listConversations({
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
    const recent = (await this.d.store.listMessages(id, { limit: RECENT_MESSAGES, offset: 0 })) ?? []
    return { ...conversation, messages: recent.reverse() }
  }

  async updateConversation(id: string, patch: ConversationPatch): Promise<Conversation> {
    const current = await this.requireConversation(id)
    checkText(patch.title, ['body', 'title'])
    checkMetadata(patch.metadata, ['body', 'metadata'], this.d.limits)
    await this.d.assistants.check(patch.assistant_id, ['body', 'assistant_id'])
    const { assistant_id, ...rest } = patch
    const change = assistant_id === undefined ? rest : { ...rest, assistantId: assistant_id }
    if (Object.keys(change).length === 0) return current
    const result = await this.d.store.updateConversation(id, change)
    if (!result) return notFound('conversation')
    this.d.hub.publish(result.event)
    return result.conversation
  }

  async deleteConversation(id: string): Promise<void> {
    await this.requireOwnership(id)
    const event = isId(id) ? await this.d.store.deleteConversation(id) : null
    if (!event) return notFound('conversation')
    this.d.hub.publish(event)
  }
}
