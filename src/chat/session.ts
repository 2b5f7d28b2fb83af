import { AppError, invalid, notFound } from '../errors'
import { dataUrlFiles, storeDataUrls } from '../features/files/data-url'
import { type ChatEvent, type Message, MissingParent, type Sender } from '../storage/store'
import { checkClientTools, checkMessage, checkParts } from './checks'
import {
  clientToolDefs,
  contentOf,
  FIELDS,
  isId,
  REPLAY_BATCH,
  type ResumePoint,
  type Send,
  type Sent,
} from './message-input'
import { MessageOps } from './message-ops'
import type { ReplyHandle } from './replies'
import type { Place } from './reply-queue'

/** A session: every chat operation as one actor may perform it. */
export class Session extends MessageOps {
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
    checkParts(input.parts, at.parts, this.d.limits, { dataUrls: true })
    checkMessage({ ...input, content }, at, this.d.limits)
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
    const pending = dataUrlFiles(input.parts, this.d.files, at.parts)
    // The files' owner is the conversation's, whoever posts: read it, which also proves access.
    const owner = pending.length ? (await this.requireBrief(conversationId)).user_id : null
    if (owner === null) await this.requireOwnership(conversationId)
    // A file is stored only for a message that will be: a bad parent must not leave one behind.
    if (pending.length && typeof parentId === 'string' && !(await this.d.store.getMessage(conversationId, parentId))) {
      throw missingParent()
    }
    checkClientTools(input.clientTools, at.clientTools, this.d.limits)
    // Its place in the reply queue first: a full queue refuses the message (bot_busy) before
    // anything is stored or counted against the sender; a retry of a stored one needs none.
    const place = input.reply ? await this.replyPlace(conversationId, input.clientId) : null
    try {
      if (place) {
        this.takeMessageBudget()
        await this.checkQuota(conversationId)
      }
      // A retry of a stored message (its client id) stores nothing, files included.
      const retry =
        owner !== null && input.clientId !== undefined
          ? await this.d.store.getMessageByClientId(conversationId, input.clientId)
          : null
      const parts =
        owner === null || retry ? input.parts : await storeDataUrls(this.d.store, input.parts ?? [], pending, owner)
      const result = await this.d.store
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
      this.d.hub.publish(result.event)
      const clientTools = clientToolDefs(input.clientTools)
      const reply =
        place && this.d.replies ? this.d.replies.enqueue(place, conversationId, result.message, { clientTools }) : null
      return { ...result, reply }
    } finally {
      place?.release() // no reply came of it (not stored, a retry, an error); a no-op once queued
    }
  }

  /** A place in the reply queue, or null for a retry of a stored message when none is left. */
  private async replyPlace(conversationId: string, clientId: string | undefined): Promise<Place | null> {
    if (!this.d.replies) return null
    try {
      return this.d.replies.reserve()
    } catch (error) {
      const retry = clientId !== undefined && (await this.d.store.getMessageByClientId(conversationId, clientId))
      if (retry) return null
      throw error
    }
  }

  /**
   * A user message from a realtime client: stored, published and answered. The reply reaches
   * the client through its room, so nobody follows its handle.
   */
  async sendMessage(conversationId: string, input: Send): Promise<Sent> {
    const sent = await this.postMessage(conversationId, { ...input, sender: 'user', reply: true }, 'event')
    sent.reply?.ignore()
    return { ...sent, reply: null }
  }

  /**
   * Generates another reply to a user message: stored as a sibling of the earlier replies
   * (which stay), and made the active branch. Fails when the bot is off.
   */
  async regenerate(conversationId: string, messageId: string): Promise<{ message: Message; reply: ReplyHandle }> {
    const message = await this.requireUserMessage(conversationId, messageId)
    if (!this.d.replies)
      throw new AppError('bot_disabled', 'No assistant is configured (BOT_PROVIDER=none and no config file)')
    const place = this.d.replies.reserve()
    try {
      this.takeMessageBudget()
      await this.checkQuota(conversationId)
      return { message, reply: this.d.replies.enqueue(place, conversationId, message, { regenerate: true }) }
    } finally {
      place.release()
    }
  }

  /** Stops the conversation's reply in progress; false when none was running. */
  async stopGeneration(conversationId: string): Promise<boolean> {
    await this.requireBrief(conversationId)
    if (this.d.replies?.stop(conversationId)) return true
    if (!this.d.progress.get(conversationId)) return false
    this.d.hub.requestStop(conversationId) // it runs on another instance
    return true
  }

  /**
   * The reply generating for a conversation here or on another instance, with its text so
   * far: read from the room's own events, which every instance receives.
   */
  replyInProgress(conversationId: string) {
    return this.d.progress.get(conversationId)
  }

  /** Resolves a join's `since_seq` / `since` (a message id) against the conversation's log. */
  async resumePoint(conversationId: string, since: { seq?: number; messageId?: string }): Promise<ResumePoint> {
    await this.requireOwnership(conversationId)
    const seq = isId(conversationId) ? await this.d.store.lastSeq(conversationId) : null
    if (seq === null) return notFound('conversation')
    let from: number | null = since.seq ?? null
    if (since.messageId !== undefined) {
      from = isId(since.messageId) ? await this.d.store.messageSeq(conversationId, since.messageId) : null
      if (from === null) return { seq, from: null, resync: true }
    }
    return { seq, from, resync: from !== null && from > seq }
  }

  /** Stored events after `from`, in order; throws `resync` when the log was pruned past it. */
  async *eventsAfter(conversationId: string, from: number): AsyncGenerator<ChatEvent> {
    await this.requireOwnership(conversationId)
    for (let after = from; ; ) {
      const batch = await this.d.store.eventsAfter(conversationId, after, REPLAY_BATCH)
      if (batch === null) throw new AppError('resync_required', 'The event log no longer holds that point')
      yield* batch
      if (batch.length < REPLAY_BATCH) return
      after = (batch.at(-1) as ChatEvent).seq
    }
  }
}
