import type { ReplyEvent } from '../../chat/reply-handle'
import type { Message } from '../../storage/store'
import { eventStream } from '../event-stream'
import { uiMetadata } from './ui-message'

/** The headers of the AI SDK's UI message stream protocol (v1). */
export const UI_STREAM_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
  'x-vercel-ai-ui-message-stream': 'v1',
}

const FINISH_REASONS: Record<string, string> = {
  stop: 'stop',
  stopped: 'stop',
  length: 'length',
  content_filter: 'content-filter',
  tool_calls: 'tool-calls',
}

/**
 * Turns a reply's events into UI message chunks: `start` (the stored reply's id), `start-step`,
 * a `text-*` or `reasoning-*` block per part, `finish-step` and `finish` (its metadata: usage,
 * model, stopped), or `error`; then `[DONE]`.
 */
export function* uiChunks(event: ReplyEvent, state: UIState) {
  const close = function* () {
    if (state.open) yield { type: `${state.open.split(':')[0]}-end`, id: state.open.split(':')[1] as string }
    state.open = null
  }
  // Text after tool results is the model's next step.
  const step = function* () {
    if (!state.afterTools) return
    state.afterTools = false
    yield { type: 'finish-step' }
    yield { type: 'start-step' }
  }
  switch (event.type) {
    case 'start':
      state.id = event.messageId
      yield { type: 'start', messageId: event.messageId }
      yield { type: 'start-step' }
      return
    case 'tool':
      yield* close()
      yield* toolChunks(event)
      if (event.phase === 'result') state.afterTools = true
      return
    case 'delta':
    case 'part_delta': {
      yield* step()
      const kind = event.type === 'delta' ? 'text' : event.kind
      const id = `${event.messageId}-${event.part}`
      if (state.open !== `${kind}:${id}`) {
        yield* close()
        state.open = `${kind}:${id}`
        yield { type: `${kind}-start`, id }
      }
      yield { type: `${kind}-delta`, id, delta: event.delta }
      return
    }
    case 'message':
      state.stored = event.message
      return
    case 'error':
      yield* close()
      yield { type: 'error', errorText: event.message }
      return
    case 'done': {
      yield* close()
      if (!state.id) return
      const stored = state.stored
      const reason = stored?.generation?.finish_reason ?? 'stop'
      yield { type: 'finish-step' }
      yield {
        type: 'finish',
        finishReason: FINISH_REASONS[reason] ?? 'other',
        messageMetadata: stored ? uiMetadata(stored) : { stopped: event.stopped },
      }
    }
  }
}

export type UIState = { open: string | null; stored: Message | null; id: string; afterTools?: boolean }

/** A tool call's phase as the UI message stream's tool chunks (dynamic tools: the client declares none). */
function* toolChunks(event: Extract<ReplyEvent, { type: 'tool' }>) {
  const { call } = event
  const { toolCallId, toolName } = call
  switch (event.phase) {
    case 'start':
      yield { type: 'tool-input-start', toolCallId, toolName, dynamic: true }
      return
    case 'input-delta':
      yield { type: 'tool-input-delta', toolCallId, inputTextDelta: event.delta ?? '' }
      return
    case 'input':
      yield { type: 'tool-input-available', toolCallId, toolName, input: call.input, dynamic: true }
      return
    case 'approval':
      // Asked (ai 6 and later know the chunk); an approval given needs no chunk.
      if (call.state === 'approval-requested' && call.approval)
        yield { type: 'tool-approval-request', approvalId: call.approval.id, toolCallId }
      return
    case 'result':
      if (call.state === 'output-denied') yield { type: 'tool-output-denied', toolCallId }
      else if (call.state === 'output-available')
        yield { type: 'tool-output-available', toolCallId, output: call.output ?? null, dynamic: true }
      else
        yield { type: 'tool-output-error', toolCallId, errorText: call.errorText ?? 'The tool failed', dynamic: true }
  }
}

/** A reply's events as a UI message stream response. Closing it never stops the reply. */
export function uiMessageStream(events: AsyncIterable<ReplyEvent>): Response {
  return eventStream(async (sink) => {
    const state: UIState = { open: null, stored: null, id: '' }
    try {
      for await (const event of events) {
        if (sink.closed) break
        for (const chunk of uiChunks(event, state)) sink.write(`data: ${JSON.stringify(chunk)}\n\n`)
        if (event.type === 'done') break
      }
    } finally {
      sink.write('data: [DONE]\n\n')
    }
  }, UI_STREAM_HEADERS)
}
