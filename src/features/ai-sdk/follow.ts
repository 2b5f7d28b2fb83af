import { type ReplyEvent, TOOL_EVENTS, type ToolCallPart, type ToolPhase } from '../../chat/reply-handle'
import type { RoomEvent } from '../../hub/events'
import type { Hub } from '../../hub/hub'
import type { ReplyProgress } from '../../hub/progress'
import type { Message } from '../../storage/store'
import { toolEvents } from './replay'

/** The room's tool events by the phase they report. */
const PHASES = Object.fromEntries(
  Object.entries(TOOL_EVENTS).map(([phase, name]) => [name, phase as ToolPhase]),
) as Record<(typeof TOOL_EVENTS)[ToolPhase], ToolPhase>

/** How long a follower waits for the next event of a reply before giving up on it. */
const IDLE_MS = 10 * 60_000

/**
 * The reply generating in a conversation, on this instance or any other, as reply events from
 * its start: what it has so far (from the room's progress), then the room's live events until
 * the stored reply, an error, or the end of its typing. Null when none is generating. The
 * snapshot and the subscription are taken in one tick, so no delta falls between them.
 */
export function followReply(
  hub: Hub,
  progress: ReplyProgress,
  conversationId: string,
  { fromNow = false }: { fromNow?: boolean } = {},
): AsyncIterable<ReplyEvent> | null {
  const now = progress.get(conversationId)
  if (!now) return null
  const { messageId } = now
  const queue: ReplyEvent[] = [{ type: 'start', messageId }]
  // `fromNow`: the client has the reply so far (it answers its tool calls), only what follows.
  if (!fromNow)
    now.parts.forEach((p, part) => {
      if (p.type === 'text') queue.push({ type: 'delta', messageId, delta: p.text, index: -1, part })
      else if (p.type === 'reasoning')
        queue.push({ type: 'part_delta', messageId, delta: p.text, index: -1, part, kind: 'reasoning' })
      else if (p.type === 'tool-call') queue.push(...toolEvents(messageId, part, p as unknown as ToolCallPart))
    })
  let wake: (() => void) | null = null
  let finished = false
  const push = (event: ReplyEvent) => {
    if (finished) return
    queue.push(event)
    if (event.type === 'done') finished = true
    wake?.()
  }
  const detach = hub.attach({
    deliver(event: RoomEvent) {
      if (event.conversationId !== conversationId) return
      const data = event.data
      if (event.name === 'message_delta' && data.messageId === messageId) {
        push({
          type: 'delta',
          messageId,
          delta: String(data.delta),
          index: Number(data.index),
          part: Number(data.part),
        })
      } else if (event.name === 'part_delta' && data.messageId === messageId && data.type === 'reasoning') {
        const part = Number(data.part)
        push({
          type: 'part_delta',
          messageId,
          delta: String(data.delta),
          index: Number(data.index),
          part,
          kind: 'reasoning',
        })
      } else if (event.name in PHASES && data.messageId === messageId) {
        const { conversationId: _c, messageId: _m, part, delta, ...call } = data
        const phase = PHASES[event.name as keyof typeof PHASES]
        const step = { type: 'tool' as const, phase, messageId, part: Number(part), call: call as ToolCallPart }
        push(typeof delta === 'string' ? { ...step, delta } : step)
      } else if (event.name === 'new_message' && data.id === messageId) {
        push({ type: 'message', message: data as unknown as Message })
        push({ type: 'done', stopped: (data.metadata as { stopped?: unknown })?.stopped === true })
      } else if (event.name === 'error' && (data.code === 'bot_failed' || data.code === 'bot_timeout')) {
        push({ type: 'error', code: data.code, message: String(data.message) })
        push({ type: 'done', stopped: false })
      } else if (event.name === 'typing' && data.userId === 'ai' && data.isTyping === false) {
        // The reply ended; its stored message (delivered before this) would have finished it.
        setTimeout(() => push({ type: 'done', stopped: false }), 1000)
      } else if (event.name === 'conversation_deleted') push({ type: 'done', stopped: false })
    },
  })
  return {
    async *[Symbol.asyncIterator]() {
      try {
        for (;;) {
          const event = queue.shift()
          if (event) {
            yield event
            if (event.type === 'done') return
            continue
          }
          const idle = setTimeout(() => push({ type: 'done', stopped: false }), IDLE_MS)
          await new Promise<void>((resolve) => (wake = resolve))
          clearTimeout(idle)
          wake = null
        }
      } finally {
        detach()
      }
    },
  }
}
