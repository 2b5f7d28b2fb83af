import type { RateLimiter } from '../auth/rate-limit'
import type { ReplyPlan } from '../bots/assistants'
import { type Action, BotError } from '../bots/bot'
import { trimHistory } from '../bots/history'
import type { Hub } from '../hub/hub'
import type { Conversation, Message, Store } from '../storage/store'
import type { Toolbox } from '../tools/toolbox'
import type { RepliesDeps, ReplyOptions } from './replies'
import { ReplyDraft } from './reply-draft'
import type { ReplyHandle } from './reply-handle'
import { type failWith, storeReply } from './reply-outcome'
import type { ToolAnswers } from './tool-answers'
import { runSteps } from './tool-loop'

/** A reply generating here: its message id, what aborts it, and whether a user stopped it. */
export type Running = { messageId: string; abort: AbortController; stopped: boolean }

/** What generating one reply uses: the replies' dependencies and the state they share. */
export type GenerateDeps = Pick<RepliesDeps, 'store' | 'hub' | 'providers' | 'log'> & {
  toolbox: Toolbox | null
  toolWaitMs: number
  toolCalls: RateLimiter | undefined
  answers: ToolAnswers
  /** The reply generating in each conversation here (to stop it). */
  running: Map<string, Running>
  /** Reports a failed reply to its room and its follower. */
  fail: ReturnType<typeof failWith>
}

/** The bot's `typing`; the reply's id rides along so every instance can tell late joiners what is in progress. */
export const botTyping = (hub: Hub, conversationId: string, isTyping: boolean, messageId?: string) =>
  hub.publishEphemeral({
    conversationId,
    name: 'typing',
    data: { conversationId, userId: 'ai', isTyping, ...(messageId ? { messageId } : {}) },
  })

/** The answered message and the messages before it on its branch, oldest first, within the limits. */
async function historyFor(store: Store, conversationId: string, message: Message, { history }: ReplyPlan) {
  const branch = await store.ancestors(conversationId, message.id, Math.max(1, history.messages))
  return trimHistory(branch.length ? branch : [message], history.chars)
}

/** Generates, stores and publishes one reply; returns whether a user stopped it. */
export async function generateReply(
  d: GenerateDeps,
  conversation: Conversation,
  message: Message,
  handle: ReplyHandle,
  options: ReplyOptions,
  plan: ReplyPlan,
): Promise<boolean> {
  const { store, hub, providers, toolbox, toolWaitMs, toolCalls, log, answers, running, fail } = d
  const conversationId = conversation.id
  const provider = providers.get(plan.provider)
  const { settings } = plan
  const state: Running = { messageId: Bun.randomUUIDv7(), abort: new AbortController(), stopped: false }
  const { messageId } = state
  running.set(conversationId, state)
  botTyping(hub, conversationId, true, messageId)
  handle.push({ type: 'start', messageId })
  const draft = new ReplyDraft()
  let actions: Action[] | undefined
  let inputHistory: Message[] = []
  try {
    if (!provider) throw new BotError('bot_failed', `The provider "${plan.provider}" is not configured`)
    inputHistory = await historyFor(store, conversationId, message, plan)
    // Only the conversation owner's files: a part may name any id, the model sees only theirs.
    const files = async (id: string) => {
      const found = await store.getFile(id)
      if (!found || found.file.user_id !== conversation.user_id) return null
      return { mediaType: found.file.media_type, data: found.data }
    }
    const input = { assistant: settings, conversation, history: inputHistory, message, files }
    const relayTo = { hub, handle, conversationId, messageId, abort: state.abort }
    const { clientTools } = options
    const loop = { provider, plan, toolbox, input, draft, relayTo, abort: state.abort, clientTools }
    const takeCall = toolCalls && ((user: string) => toolCalls.take(`tools:${user}`))
    actions = await runSteps({ ...loop, answers, waitMs: toolWaitMs, takeCall })
    if (!state.stopped && !draft.answered) throw new BotError('bot_failed', 'The bot returned an empty reply')
  } catch (error) {
    if (!state.stopped) {
      const failure =
        error instanceof BotError ? error : new BotError('bot_failed', 'The bot failed to answer; please try again')
      log.error('bot reply failed', {
        conversation_id: conversationId,
        assistant: settings.id,
        provider: plan.provider,
        code: failure.code,
        reason: failure.message,
        ...(failure.detail ? { detail: failure.detail } : {}),
        ...(error instanceof BotError ? {} : { err: error }),
      })
      // Named, so a room with several assistants knows whose provider failed.
      fail(conversationId, handle, failure.code, `${settings.name}: ${failure.message}`, settings.id)
      return false
    }
  } finally {
    running.delete(conversationId)
  }
  // Completed, or stopped by a user with something to keep (text, or tool calls made).
  if (draft.answered) {
    const kept = { messageId, message, draft, actions, stopped: state.stopped, settings, history: inputHistory }
    await storeReply({ store, hub, log, handle }, { ...kept, regenerate: options.regenerate === true })
  }
  return state.stopped
}
