import type { RateLimiter } from '../auth/rate-limit'
import type { ReplyPlan } from '../bots/assistants'
import type { Bot } from '../bots/bot'
import type { ToolAnswer } from '../hub/events'
import type { Hub } from '../hub/hub'
import type { Logger } from '../log'
import type { Message, Store } from '../storage/store'
import type { ToolDef } from '../tools/tool'
import type { Toolbox } from '../tools/toolbox'
import type { Deadlines } from './deadlines'
import { botTyping, generateReply, type Running } from './reply-generate'
import { ReplyHandle } from './reply-handle'
import { holdLease } from './reply-lease'
import { failWith } from './reply-outcome'
import { type Place, ReplyQueue } from './reply-queue'
import type { Slots } from './slots'
import { ToolAnswers } from './tool-answers'

export { type ReplyEvent, ReplyHandle } from './reply-handle'

/**
 * A configured provider at run time: its bot, the replies it may generate at once (more wait in
 * order, without holding up other providers' replies) and its deadlines.
 */
export type ProviderRuntime = { bot: Bot; slots: Slots; deadlines: Deadlines }

export type RepliesDeps = {
  store: Store
  hub: Hub
  /** By provider name. */
  providers: ReadonlyMap<string, ProviderRuntime>
  /** The settings of a conversation's assistant (`assistant_id`), read when its reply starts. */
  plan(assistantId: string | null): Promise<ReplyPlan | null>
  /** The tools assistants may call; null: none configured. */
  toolbox?: Toolbox | null
  /** Longest wait for a client tool's result or an approval. */
  toolWaitMs?: number
  /** Counts tool calls per user (RATE_LIMIT_TOOL_CALLS). */
  toolCalls?: RateLimiter | undefined
  log: Logger
  /** With several instances: a lease in the database keeps each conversation's replies on one. */
  lease?: { holder: string; ttlMs: number } | undefined
  /** Replies queued or running at once (BOT_QUEUE_MAX); past it a message asking for one is refused. */
  maxQueued: number
}

/**
 * `regenerate`: the new reply is another version of the answer: a sibling of the earlier
 * replies (same parent, the answered message), and the active one once stored.
 */
export type ReplyOptions = {
  regenerate?: boolean
  /** Tools the front-end declared for this reply (it runs them). */
  clientTools?: readonly ToolDef[] | undefined
}

/**
 * Runs bot replies for conversations, not for sockets: a reply keeps going when its sender
 * leaves, and is stored and published to the room when done. One reply at a time per
 * conversation (later ones queue behind it), `concurrency` at a time overall, FIFO, at most
 * `maxQueued` queued or running.
 */
export function createReplies({
  store,
  hub,
  providers,
  plan: planOf,
  toolbox = null,
  toolWaitMs = 300_000,
  toolCalls,
  log,
  lease,
  maxQueued,
}: RepliesDeps) {
  const answers = new ToolAnswers()
  const running = new Map<string, Running>()
  const queue = new ReplyQueue(maxQueued)

  const fail = failWith(hub)
  const generating = { store, hub, providers, toolbox, toolWaitMs, toolCalls, log, answers, running, fail }

  async function job(conversationId: string, message: Message, handle: ReplyHandle, options: ReplyOptions) {
    let stopped = false
    let unlease: (() => Promise<void>) | undefined
    let slots: Slots | undefined
    try {
      // The assistant's settings as they are now: a change applies from the next reply on.
      const conversation = await store.getConversation(conversationId)
      const plan = conversation && (await planOf(conversation.assistant_id))
      if (!conversation) return
      if (!plan) return fail(conversationId, handle, 'bot_failed', 'No assistant answers this conversation')
      slots = providers.get(plan.provider)?.slots
      await slots?.acquire()
      if (lease) unlease = await holdLease(store, conversationId, lease)
      stopped = await generateReply(generating, conversation, message, handle, options, plan)
    } catch (error) {
      // Storing the reply failed (e.g. the database went away): say so, keep the server up.
      log.error('bot reply could not be stored', { conversation_id: conversationId, err: error })
      fail(conversationId, handle, 'bot_failed', 'The reply could not be stored')
    } finally {
      botTyping(hub, conversationId, false)
      handle.push({ type: 'done', stopped })
      await unlease?.()
      slots?.release()
    }
  }

  return {
    /** Queues a reply to `message`; it runs after any reply already queued for the conversation. */
    enqueue(place: Place, conversationId: string, message: Message, options: ReplyOptions = {}): ReplyHandle {
      const handle = new ReplyHandle()
      place.run(conversationId, () => job(conversationId, message, handle, options))
      return handle
    },

    /** A place in the queue for one reply, taken before its message is stored (see ReplyQueue). */
    reserve: (): Place => queue.reserve(),

    /** Replies queued or generating, and places taken for messages being stored. */
    get queued(): number {
      return queue.size
    },

    /** Hands a user's answer to a paused tool call of a reply running here; false when none waits for it. */
    answer(answer: ToolAnswer): boolean {
      return answers.deliver(answer)
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
    idle: (): Promise<void> => queue.idle(),
  }
}

export type Replies = ReturnType<typeof createReplies>
