import type { ReplyHandle } from '../../chat/replies'
import { TOOL_EVENTS } from '../../chat/reply-handle'
import type { Message } from '../../storage/store'
import { eventStream } from '../event-stream'

/** True when the client asked for a Server-Sent Events answer. */
export const wantsEventStream = (request: Request) =>
  request.headers.get('accept')?.includes('text/event-stream') ?? false

/**
 * A reply as Server-Sent Events: `message` (the stored user message, when there is one),
 * `delta` per text chunk (`part_delta` per reasoning chunk), the tool calls' steps, `message`
 * (the stored reply), then `done`; or `error` then `done`.
 * Closing the connection only stops the stream: the reply is still stored and published.
 */
export function replyEventStream(first: Message | null, reply: ReplyHandle | null): Response {
  return eventStream(
    async (sink) => {
      const send = (event: string, data: unknown) => sink.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
      if (first) send('message', first)
      if (!reply) return send('done', { stopped: false, replied: false })
      // Written as the relay hands each event over (ReplyHandle.follow), in the same turn.
      await reply.follow((event) => {
        if (sink.closed) return reply.ignore()
        if (event.type === 'start') return // the reply's id comes with its first delta
        if (event.type === 'delta')
          send('delta', { messageId: event.messageId, delta: event.delta, index: event.index, part: event.part })
        else if (event.type === 'part_delta') {
          const { messageId, delta, index, part, kind } = event
          send('part_delta', { messageId, delta, index, part, type: kind })
        } else if (event.type === 'tool') {
          // The room's names for the same steps: tool_call_start, tool_input_delta, tool_call_input, tool_call_result.
          const { messageId, part, call, delta } = event
          send(TOOL_EVENTS[event.phase], { messageId, part, ...call, ...(delta === undefined ? {} : { delta }) })
        } else if (event.type === 'message') send('message', event.message)
        else if (event.type === 'error') send('error', { code: event.code, message: event.message })
        else send('done', { stopped: event.stopped, replied: true })
      })
    },
    { 'content-type': 'text/event-stream; charset=utf-8' },
  )
}
