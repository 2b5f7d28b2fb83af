import type { Action, BotEvent } from '../bots/bot'
import type { Hub } from '../hub/hub'
import type { ReplyDraft, ToolStep } from './reply-draft'
import { type ReplyHandle, TOOL_EVENTS } from './reply-handle'

export type Relay = {
  hub: Hub
  handle: ReplyHandle
  conversationId: string
  messageId: string
  abort: AbortController
  /** A tool's name from the name the model knows it by. */
  nameOf?: (wire: string) => string
}

/** A tool call's step, to the room (`tool_call_start`…) and to the reply's consumers. */
export function publishTool({ hub, handle, conversationId, messageId }: Relay, step: ToolStep): void {
  const { part, phase, call, delta } = step
  const data = { conversationId, messageId, part, ...call, ...(delta === undefined ? {} : { delta }) }
  hub.publishEphemeral({ conversationId, name: TOOL_EVENTS[phase], data })
  handle.push({ type: 'tool', phase, messageId, part, call: { ...call }, ...(delta === undefined ? {} : { delta }) })
}

/**
 * Feeds a bot's events into the reply's draft and streams each piece to the room (every
 * instance) and to the reply's own consumers: text as `message_delta`, reasoning (and any later
 * kind) as `part_delta`. Ends when the bot does or the reply is aborted; returns the quick
 * replies the bot offered.
 */
export async function relay(
  events: AsyncIterable<BotEvent>,
  draft: ReplyDraft,
  relayTo: Relay,
): Promise<Action[] | undefined> {
  const { hub, handle, conversationId, messageId, abort, nameOf } = relayTo
  let actions: Action[] | undefined
  let index = 0
  for await (const event of events) {
    if (abort.signal.aborted) break
    if (event.type === 'actions') {
      actions = event.actions
      continue
    }
    const delta = draft.add(event, nameOf)
    if (draft.cut) abort.abort() // past MAX_REPLY_CHARS: the model stops being billed
    if (!delta) continue
    if (delta.type === 'tool') {
      publishTool(relayTo, delta)
      continue
    }
    const data = { conversationId, messageId, delta: delta.text, index: index++, part: delta.part }
    if (delta.type === 'text') {
      hub.publishEphemeral({ conversationId, name: 'message_delta', data })
      handle.push({ type: 'delta', messageId, delta: delta.text, index: data.index, part: delta.part })
    } else {
      hub.publishEphemeral({ conversationId, name: 'part_delta', data: { ...data, type: delta.type } })
      const { index: i, part } = data
      handle.push({ type: 'part_delta', messageId, delta: delta.text, index: i, part, kind: delta.type })
    }
  }
  return actions
}
