import { type Action, type Bot, BotError } from '../bots/bot'
import { trimHistory } from '../bots/history'
import type { Hub } from '../hub/hub'
import type { Logger } from '../log'
import type { Message, Metadata, Store } from '../storage/store'
import { type Deadlines, withDeadlines } from './deadlines'
import { ReplyDraft } from './reply-draft'
import { ReplyHandle } from './reply-handle'

export { type ReplyEvent, ReplyHandle } from './reply-handle'

type Running = { messageId: string; abort: AbortController; stopped: boolean }

export type RepliesDeps = {
  store: Store
  hub: Hub
  bot: Bot
  log: Logger
  /** Replies generating at once across all conversations; more wait in order. */
  concurrency: number
  history: { messages: number; chars: number }
  deadlines: Deadlines
  /** With several instances: a lease in the database keeps each conversation's replies on one. */
  lease?: { holder: string; ttlMs: number } | undefined
  /** The model replies are recorded with when the provider does not name one. */
  model?: string | null | undefined
}

/**
 * `regenerate`: the new reply is another version of the answer: a sibling of the earlier
 * replies (same parent, the answered message), and the active one once stored.
 */
export type ReplyOptions = { regenerate?: boolean }

/**
 * Runs bot replies for conversations, not for sockets: a reply keeps going when its sender
 * leaves, and is stored and published to the room when done. One reply at a time per
 * conversation (later ones queue behind it), `concurrency` at a time overall, FIFO.
 */
export function createReplies({
  store,
  hub,
  bot,
  log,
  concurrency,
  history,
  deadlines,
  lease,
  model = null,
}: RepliesDeps) {
  const running = new Map<string, Running>()
  const tails = new Map<string, Promise<void>>() // per-conversation queue
  const all = new Set<Promise<void>>()
  let slots = concurrency
  const waiting: (() => void)[] = []

  const acquire = async () => {
    if (slots > 0) slots--
    else await new Promise<void>((resolve) => waiting.push(resolve))
  }
  const release = () => {
    const next = waiting.shift()
    if (next) next()
    else slots++
  }

  // The reply's id rides along so every instance can tell late joiners what is in progress.
  const typing = (conversationId: string, isTyping: boolean, messageId?: string) =>
    hub.publishEphemeral({
      conversationId,
      name: 'typing',
      data: { conversationId, userId: 'ai', isTyping, ...(messageId ? { messageId } : {}) },
    })

  /** The answered message and the messages before it on its branch, oldest first, within the limits. */
  async function historyFor(conversationId: string, message: Message): Promise<Message[]> {
    const branch = await store.ancestors(conversationId, message.id, Math.max(1, history.messages))
    return trimHistory(branch.length ? branch : [message], history.chars)
  }

  /** Generates, stores and publishes one reply; returns whether a user stopped it. */
  async function generate(conversationId: string, message: Message, handle: ReplyHandle, options: ReplyOptions) {
    const state: Running = { messageId: Bun.randomUUIDv7(), abort: new AbortController(), stopped: false }
    const { messageId } = state
    running.set(conversationId, state)
    typing(conversationId, true, messageId)
    handle.push({ type: 'start', messageId })
    const draft = new ReplyDraft()
    let actions: Action[] | undefined
    let inputHistory: Message[] = []
    let index = 0
    try {
      const conversation = await store.getConversation(conversationId)
      if (!conversation) return false
      inputHistory = await historyFor(conversationId, message)
      // Only the conversation owner's files: a part may name any id, the model sees only theirs.
      const files = async (id: string) => {
        const found = await store.getFile(id)
        if (!found || found.file.user_id !== conversation.user_id) return null
        return { mediaType: found.file.media_type, data: found.data }
      }
      const input = { conversation, history: inputHistory, message, files }
      const events = withDeadlines(bot.reply(input, state.abort.signal), deadlines, (reason) =>
        state.abort.abort(reason),
      )
      for await (const event of events) {
        if (state.abort.signal.aborted) break
        if (event.type === 'actions') {
          actions = event.actions
          continue
        }
        const delta = draft.add(event)
        if (draft.cut) state.abort.abort() // past MAX_REPLY_CHARS: the model stops being billed
        if (!delta) continue
        const data = { conversationId, messageId, delta: delta.text, index: index++, part: delta.part }
        // Text keeps its seed event; reasoning (and any later kind) streams as part_delta.
        if (delta.type === 'text') {
          hub.publishEphemeral({ conversationId, name: 'message_delta', data })
          handle.push({ type: 'delta', messageId, delta: delta.text, index: data.index, part: delta.part })
        } else {
          hub.publishEphemeral({ conversationId, name: 'part_delta', data: { ...data, type: delta.type } })
          const { index: i, part } = data
          handle.push({ type: 'part_delta', messageId, delta: delta.text, index: i, part, kind: delta.type })
        }
      }
      if (!state.stopped && draft.content === '') throw new BotError('bot_failed', 'The bot returned an empty reply')
    } catch (error) {
      if (!state.stopped) {
        const failure =
          error instanceof BotError ? error : new BotError('bot_failed', 'The bot failed to answer; please try again')
        log.error('bot reply failed', {
          conversation_id: conversationId,
          bot: bot.name,
          code: failure.code,
          reason: failure.message,
          ...(failure.detail ? { detail: failure.detail } : {}),
          ...(error instanceof BotError ? {} : { err: error }),
        })
        const data = { conversationId, code: failure.code, message: failure.message }
        hub.publishEphemeral({ conversationId, name: 'error', data })
        handle.push({ type: 'error', code: failure.code, message: failure.message })
        return false
      }
    } finally {
      running.delete(conversationId)
    }
    // Completed, or stopped by a user with something to keep.
    if (draft.content !== '') {
      const metadata: Metadata = {}
      if (actions) metadata.actions = actions
      if (state.stopped) metadata.stopped = true
      const generation = draft.generation(inputHistory, state.stopped, model)
      const stored = await store.createMessage({
        id: messageId,
        conversationId,
        sender: 'ai',
        content: draft.content,
        parts: draft.parts,
        generation,
        metadata,
        replyTo: message.id,
        ...(options.regenerate && { parentId: message.id }),
      })
      if (stored && !stored.duplicate) {
        hub.publish(stored.event)
        handle.push({ type: 'message', message: stored.message })
      }
      log.debug('bot reply stored', { conversation_id: conversationId, bot: bot.name, ms: generation.duration_ms })
    }
    return state.stopped
  }

  async function job(conversationId: string, message: Message, handle: ReplyHandle, options: ReplyOptions) {
    await acquire()
    let stopped = false
    let renew: ReturnType<typeof setInterval> | undefined
    try {
      if (lease) {
        while (!(await store.acquireLease(conversationId, lease.holder, lease.ttlMs))) await Bun.sleep(100)
        renew = setInterval(
          () => void store.acquireLease(conversationId, lease.holder, lease.ttlMs).catch(() => {}),
          lease.ttlMs / 3,
        )
      }
      stopped = await generate(conversationId, message, handle, options)
    } catch (error) {
      // Storing the reply failed (e.g. the database went away): say so, keep the server up.
      log.error('bot reply could not be stored', { conversation_id: conversationId, err: error })
      const data = { conversationId, code: 'bot_failed', message: 'The reply could not be stored' }
      hub.publishEphemeral({ conversationId, name: 'error', data })
      handle.push({ type: 'error', code: 'bot_failed', message: 'The reply could not be stored' })
    } finally {
      clearInterval(renew)
      typing(conversationId, false)
      handle.push({ type: 'done', stopped })
      if (lease) await store.releaseLease(conversationId, lease.holder).catch(() => {})
      release()
    }
  }

  return {
    /** Queues a reply to `message`; it runs after any reply already queued for the conversation. */
    enqueue(conversationId: string, message: Message, options: ReplyOptions = {}): ReplyHandle {
      const handle = new ReplyHandle()
      const previous = tails.get(conversationId) ?? Promise.resolve()
      const next = previous.then(() => job(conversationId, message, handle, options))
      tails.set(conversationId, next)
      all.add(next)
      next.finally(() => {
        all.delete(next)
        if (tails.get(conversationId) === next) tails.delete(conversationId)
      })
      return handle
    },

    /** Stops the reply in progress; what was generated so far is stored as stopped. */
    stop(conversationId: string): boolean {
      const state = running.get(conversationId)
      if (!state || state.stopped) return false
      state.stopped = true
      state.abort.abort()
      return true
    },

    /** Stops every reply in progress (each is stored as stopped); for shutdown. */
    stopAll(): void {
      for (const state of running.values()) {
        state.stopped = true
        state.abort.abort()
      }
    },

    /** Resolves when every queued and running reply has finished. */
    async idle(): Promise<void> {
      while (all.size > 0) await Promise.allSettled([...all])
    },
  }
}

export type Replies = ReturnType<typeof createReplies>
