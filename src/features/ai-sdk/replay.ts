import type { ReplyEvent, ToolCallPart } from '../../chat/reply-handle'
import type { Message } from '../../storage/store'

/** A tool call as it stands, as the reply events that brought it there. */
export function* toolEvents(messageId: string, part: number, call: ToolCallPart): Generator<ReplyEvent> {
  yield { type: 'tool', phase: 'start', messageId, part, call: { ...call, input: null, state: 'input-streaming' } }
  if (call.state === 'input-streaming') return
  yield { type: 'tool', phase: 'input', messageId, part, call: { ...call, state: 'input-available' } }
  if (call.approval) {
    const asked = { ...call, state: 'approval-requested' as const, approval: { id: call.approval.id } }
    yield { type: 'tool', phase: 'approval', messageId, part, call: asked }
  }
  if (call.state.startsWith('output-')) yield { type: 'tool', phase: 'result', messageId, part, call }
}

/** A stored reply as the events of a finished one (a retried request gets the reply it made). */
export async function* replayReply(message: Message | null): AsyncGenerator<ReplyEvent> {
  if (message) {
    const messageId = message.id
    yield { type: 'start', messageId }
    for (const [part, p] of message.parts.entries()) {
      if (p.type === 'text') yield { type: 'delta', messageId, delta: p.text, index: -1, part }
      else if (p.type === 'reasoning')
        yield { type: 'part_delta', messageId, delta: p.text, index: -1, part, kind: 'reasoning' }
      else if (p.type === 'tool-call') yield* toolEvents(messageId, part, p)
    }
    yield { type: 'message', message }
  }
  yield { type: 'done', stopped: message?.metadata.stopped === true }
}
