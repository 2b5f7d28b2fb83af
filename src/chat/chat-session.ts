import { invalid } from '../errors'
import type { Message } from '../storage/store'
import { Session } from './session'

type Loc = (string | number)[]

/**
 * The operations a chat front-end's protocol needs beyond a session's (the AI SDK face): which
 * question a regenerate redoes, where a new message goes, a whole branch or tree at once.
 */
export class ChatSession extends Session {
  /** The user message a regenerate redoes: the one `ref` is or answers, or the latest one. */
  async questionOf(conversationId: string, ref: string | undefined, at: Loc): Promise<string> {
    const named = ref === undefined ? null : await this.findMessage(conversationId, ref)
    if (ref !== undefined && !named) throw invalid(at, 'No message of this chat has this id', 'value_error')
    const latest = named ?? (await this.listMessages(conversationId, { page: 1, size: 1 })).messages[0]
    const id = latest?.sender === 'user' ? latest.id : (latest?.reply_to ?? latest?.parent_id)
    if (!id) throw invalid(at, 'There is no user message to answer again', 'value_error')
    return id
  }

  /**
   * Where a client's new message goes. An edit of user message `edited`: beside it (same
   * parent). Otherwise after `shown`, the message the client shows before it, when that is a
   * stored one (a client may show another branch than the head); else (undefined) at the head.
   */
  async parentFor(conversationId: string, edited: string | undefined, shown: string | undefined, at: Loc) {
    if (edited !== undefined) {
      const message = await this.findMessage(conversationId, edited)
      if (message?.sender !== 'user') throw invalid(at, 'No user message of this chat has this id', 'value_error')
      return message.parent_id
    }
    const before = shown === undefined ? null : await this.findMessage(conversationId, shown)
    return before ? before.id : undefined
  }

  /** The active branch, oldest first, up to `limit` messages (the newest). */
  async branch(conversationId: string, limit: number): Promise<Message[]> {
    const out: Message[] = []
    for (let before: string | undefined; out.length < limit; ) {
      const page = await this.listMessages(conversationId, { limit: 100, ...(before && { before }) })
      out.push(...page.messages)
      if (!page.next_cursor) break
      before = page.next_cursor
    }
    return out.slice(0, limit).reverse()
  }

  /** Every message of the tree, parents first, up to `limit` messages (the oldest), and the head. */
  async wholeTree(conversationId: string, limit: number) {
    const first = await this.tree(conversationId, { limit: 1000 })
    const messages = [...first.messages]
    for (let after = first.next_cursor; after && messages.length < limit; ) {
      const page = await this.tree(conversationId, { after, limit: 1000 })
      messages.push(...page.messages)
      after = page.next_cursor
    }
    return { head_id: first.head_id, messages: messages.slice(0, limit) }
  }
}
