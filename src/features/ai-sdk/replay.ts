import type { ReplyEvent } from '../../chat/reply-handle'
import type { Message } from '../../storage/store'

/** A stored reply as the events of a finished one (a retried request gets the reply it made). */
export async function* replayReply(message: Message | null): AsyncGenerator<ReplyEvent> {
  if (message) {
    const messageId = message.id
    yield { type: 'start', messageId }
    for (const [part, p] of message.parts.entries()) {
      if (p.type === 'text') yield { type: 'delta', messageId, delta: p.text, index: -1, part }
      else if (p.type === 'reasoning')
        yield { type: 'part_delta', messageId, delta: p.text, index: -1, part, kind: 'reasoning' }
    }
    yield { type: 'message', message }
  }
  yield { type: 'done', stopped: message?.metadata.stopped === true }
}
