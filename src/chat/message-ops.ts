import { AppError, notFound } from '../errors'
import type { MessageListQuery, MessagePage } from '../features/messages/model'
import type { Message } from '../storage/store'
import { unhide } from './access'
import { checkContent } from './checks'
import { ConversationOps } from './conversations'
import { isId, TREE_PAGE } from './message-input'

/** The operations of a session on the messages already stored: pages, edits, deletes, branches. */
export class MessageOps extends ConversationOps {
  async listMessages(conversationId: string, q: MessageListQuery): Promise<MessagePage> {
    const cursorMode = q.before !== undefined || q.limit !== undefined
    const size = (cursorMode ? q.limit : q.size) ?? q.size ?? 10
    const page = q.page ?? 1
    const offset = cursorMode ? 0 : (page - 1) * size
    // From an offset the maintained count says whether more follow; before a cursor, one
    // row past the page does.
    const window = q.before !== undefined ? { limit: size + 1, beforeId: q.before } : { limit: size, offset }
    const found = isId(conversationId) ? await this.d.store.pageMessages(conversationId, window) : null
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
    checkContent(content, ['body', 'content'], this.d.limits.maxMessageLength)
    const guard = await this.guardFor(conversationId, messageId, 'user')
    const result = await this.d.store.updateMessage(conversationId, messageId, content, guard).catch(unhide)
    if (!result) return notFound('message')
    this.d.hub.publish(result.event)
    return result.message
  }

  /**
   * Deletes a user message (its children move up to its parent) or, with `subtree`, any
   * message with every message below it.
   */
  async deleteMessage(conversationId: string, messageId: string, subtree = false): Promise<void> {
    const guard = await this.guardFor(conversationId, messageId, subtree ? undefined : 'user')
    const event = await this.d.store.deleteMessage(conversationId, messageId, { subtree, guard }).catch(unhide)
    if (!event) return notFound('message')
    this.d.hub.publish(event)
  }

  /** Switches branch: the head moves to the newest leaf below `messageId`. */
  async setHead(conversationId: string, messageId: string): Promise<{ head_id: string }> {
    await this.requireBrief(conversationId)
    const result = isId(messageId) ? await this.d.store.setHead(conversationId, messageId) : null
    if (!result) return notFound('message')
    if (result.event) this.d.hub.publish(result.event)
    return { head_id: result.headId }
  }

  /** The whole tree in seq order (parents first), a bounded page at a time. */
  async tree(conversationId: string, q: { after?: string | undefined; limit?: number | undefined }) {
    await this.requireBrief(conversationId)
    const limit = q.limit ?? TREE_PAGE
    let afterSeq = 0
    if (q.after !== undefined) {
      const seq = isId(q.after) ? await this.d.store.messageSeq(conversationId, q.after) : null
      if (seq === null) throw new AppError('invalid_cursor', 'Cursor does not name a message of this conversation')
      afterSeq = seq
    }
    const page = await this.d.store.tree(conversationId, afterSeq, limit)
    if (!page) return notFound('conversation')
    const next = page.hasMore ? (page.messages.at(-1)?.id ?? null) : null
    return { head_id: page.headId, messages: page.messages, has_more: page.hasMore, next_cursor: next }
  }
}
