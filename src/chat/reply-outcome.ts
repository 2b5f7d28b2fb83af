import type { Action, ReplySettings } from '../bots/bot'
import type { Hub } from '../hub/hub'
import type { Logger } from '../log'
import type { Message, Metadata, Store } from '../storage/store'
import type { ReplyDraft } from './reply-draft'
import type { ReplyHandle } from './reply-handle'

/** Reports a failed reply to the room (every instance) and to its consumers. */
export const failWith =
  (hub: Hub) =>
  (
    conversationId: string,
    handle: ReplyHandle,
    code: 'bot_failed' | 'bot_timeout',
    message: string,
    assistantId?: string,
  ) => {
    const data = { conversationId, code, message, ...(assistantId ? { assistantId } : {}) }
    hub.publishEphemeral({ conversationId, name: 'error', data })
    handle.push({ type: 'error', code, message })
  }

type Kept = {
  messageId: string
  /** The user message it answers. */
  message: Message
  draft: ReplyDraft
  actions: Action[] | undefined
  stopped: boolean
  settings: ReplySettings
  history: readonly Message[]
  /** Another version beside the earlier replies (under the answered message). */
  regenerate: boolean
}

/**
 * Stores a completed reply (or a stopped one with something to keep) with how it was made, and
 * publishes it: the room's new_message, the consumers' `message`.
 */
export async function storeReply(
  { store, hub, log, handle }: { store: Store; hub: Hub; log: Logger; handle: ReplyHandle },
  { messageId, message, draft, actions, stopped, settings, history, regenerate }: Kept,
): Promise<void> {
  const conversationId = message.conversation_id
  const metadata: Metadata = {}
  if (actions) metadata.actions = actions
  if (stopped) metadata.stopped = true
  const generation = { assistant_id: settings.id, ...draft.generation(history, stopped, settings.model || null) }
  const stored = await store.createMessage({
    id: messageId,
    conversationId,
    sender: 'ai',
    content: draft.content,
    parts: draft.parts,
    generation,
    metadata,
    replyTo: message.id,
    ...(regenerate && { parentId: message.id }),
  })
  if (stored && !stored.duplicate) {
    hub.publish(stored.event)
    handle.push({ type: 'message', message: stored.message })
  }
  log.debug('bot reply stored', { conversation_id: conversationId, assistant: settings.id, ms: generation.duration_ms })
}
