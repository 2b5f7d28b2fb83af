import type { ChatCompletionChunk } from 'openai/resources/chat/completions'
import type { BotEvent } from './bot'

/** A tool call being streamed: its id and name arrive first, its arguments in pieces. */
export type Pending = { id: string; name: string; args: string; started: boolean }

/** Calls one reply may make in one step; more are ignored. */
const MAX_CALLS = 32
/** The longest arguments of one call, in characters. */
const MAX_ARGS_CHARS = 256 * 1024

/**
 * Reads the `tool_calls` of a streamed delta (OpenAI's wire format: by `index`, the `id` and
 * `function.name` in the first piece, `function.arguments` in pieces): yields the start of each
 * call and every piece of its arguments.
 */
export function* takeToolDeltas(
  deltas: ChatCompletionChunk.Choice.Delta.ToolCall[],
  pending: Pending[],
): Generator<BotEvent> {
  for (const d of deltas) {
    const index = typeof d.index === 'number' ? d.index : pending.length
    if (index < 0 || index >= MAX_CALLS) continue
    pending[index] ??= { id: '', name: '', args: '', started: false }
    const call = pending[index]
    if (typeof d.id === 'string' && d.id && !call.id) call.id = d.id.slice(0, 256)
    if (typeof d.function?.name === 'string') call.name += d.function.name
    if (!call.started && call.name) {
      call.id ||= `call_${Bun.randomUUIDv7()}`
      call.started = true
      yield { type: 'tool-input-start', id: call.id, name: call.name.slice(0, 256) }
    }
    const piece = d.function?.arguments
    if (typeof piece === 'string' && piece && call.args.length + piece.length <= MAX_ARGS_CHARS) {
      call.args += piece
      if (call.started) yield { type: 'tool-input-delta', id: call.id, delta: piece }
    }
  }
}

/** The calls a step made, complete: arguments parsed (empty: `{}`; not JSON: marked invalid). */
export function* toolCalls(pending: Pending[]): Generator<BotEvent> {
  for (const call of pending) {
    if (!call?.started) continue
    const name = call.name.slice(0, 256)
    try {
      yield { type: 'tool-call', id: call.id, name, input: call.args.trim() ? JSON.parse(call.args) : {} }
    } catch {
      yield { type: 'tool-call', id: call.id, name, input: { invalid: call.args.slice(0, 2000) }, invalid: true }
    }
  }
}
