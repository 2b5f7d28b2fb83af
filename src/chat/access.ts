import { type Actor, isUser } from '../auth/actor'
import { notFound, rateLimited } from '../errors'
import {
  type Conversation,
  type ConversationBrief,
  Hidden,
  type Message,
  type MessageGuard,
  type Sender,
} from '../storage/store'
import { isId } from './message-input'
import type { ChatDeps } from './service'

/**
 * What every operation of a session checks: which conversations and messages this actor may
 * see (a user only their own: anyone else's is "not found", so ids cannot be probed) and the
 * budget of messages that make the bot work.
 */
export class Access {
  protected readonly owner: string | null

  constructor(
    protected readonly d: ChatDeps,
    protected readonly actor: Actor,
  ) {
    this.owner = isUser(actor) ? actor.userId : null
  }

  /** A conversation this actor may see: anyone else's is "not found", like a missing one. */
  protected visible<C extends ConversationBrief>(found: C | null): C {
    if (!found || (this.owner !== null && found.user_id !== this.owner)) return notFound('conversation')
    return found
  }

  protected async requireConversation(id: string): Promise<Conversation> {
    return this.visible(isId(id) ? await this.d.store.getConversation(id) : null)
  }

  /** Owner and message count only, where the rest of the conversation is not shown. */
  protected async requireBrief(id: string): Promise<ConversationBrief> {
    return this.visible(isId(id) ? await this.d.store.getConversationBrief(id) : null)
  }

  /**
   * For writes that do not read the conversation first: users must prove ownership. A caller
   * acting for every user has nothing to wait for (no promise made on the hot paths).
   */
  protected requireOwnership(id: string): Promise<unknown> | undefined {
    return this.owner === null ? undefined : this.requireBrief(id)
  }

  /** A message of a conversation this actor may see. */
  protected async requireMessage(conversationId: string, messageId: string): Promise<Message> {
    await this.requireBrief(conversationId)
    const message = isId(messageId) ? await this.d.store.getMessage(conversationId, messageId) : null
    if (!message) return notFound('message')
    return message
  }

  /**
   * What a change to a message must check in its own transaction (storage's MessageGuard):
   * this actor's ownership and, when given, the sender. Ids that cannot name anything are
   * answered here, in the order a read would have found them.
   */
  protected async guardFor(conversationId: string, messageId: string, sender?: Sender): Promise<MessageGuard> {
    if (!isId(conversationId)) return notFound('conversation')
    if (!isId(messageId)) {
      await this.requireBrief(conversationId)
      return notFound('message')
    }
    return { userId: this.owner ?? undefined, sender }
  }

  /** A user message that exists in this conversation (only those may be edited or deleted). */
  protected async requireUserMessage(conversationId: string, messageId: string): Promise<Message> {
    const message = await this.requireMessage(conversationId, messageId)
    if (message.sender !== 'user') return notFound('message')
    return message
  }

  /**
   * A message to this conversation would make its assistant work: refused with quota_exceeded
   * when its owner has used up a token quota that applies. Reads nothing when no quota is set.
   */
  protected async checkQuota(conversationId: string): Promise<void> {
    if (!this.d.quotas.mayApply()) return
    const conversation = await this.requireConversation(conversationId)
    const plan = await this.d.assistants.plan(conversation.assistant_id)
    if (plan) await this.d.quotas.check(conversation.user_id, plan.settings.id, plan.quota)
  }

  /** Messages that make the bot work are the expensive path: limited per user (or address). */
  protected takeMessageBudget() {
    const wait = this.d.messageLimiter.take(this.actor.rateKey)
    if (wait > 0) {
      throw rateLimited(`Too many messages; try again in ${wait} s`, wait)
    }
  }
}

/** A guarded change's Hidden as the API's not-found error; anything else as it is. */
export function unhide(error: unknown): never {
  if (error instanceof Hidden) return notFound(error.what)
  throw error
}
