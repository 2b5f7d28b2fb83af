import type { ChatCompletionMessageParam, ChatCompletionMessageToolCall } from 'openai/resources/chat/completions'
import type { Part } from '../storage/store'

type ToolCall = Extract<Part, { type: 'tool-call' }>

/** The text a tool message carries for a call: its output, its error, or why there is none. */
export function resultText(call: ToolCall): string {
  if (call.state === 'output-available')
    return typeof call.output === 'string' ? call.output : JSON.stringify(call.output)
  if (call.state === 'output-error') return `Error: ${call.errorText ?? 'the tool failed'}`
  if (call.state === 'output-denied') return `The user denied this call${call.errorText ? `: ${call.errorText}` : ''}`
  return 'The call did not complete'
}

/**
 * A bot reply's parts as Chat Completions turns: each run of text followed by tool calls is an
 * assistant message with `tool_calls`, then one `tool` message per call with its result (every
 * call gets one, as the API requires). `wireOf` gives a tool's name as the model knows it.
 */
export function toolTurns(parts: readonly Part[], wireOf: (name: string) => string): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = []
  let text = ''
  let calls: ToolCall[] = []
  const flush = () => {
    if (calls.length) {
      const toolCalls: ChatCompletionMessageToolCall[] = calls.map((c) => ({
        id: c.toolCallId,
        type: 'function',
        function: { name: wireOf(c.toolName), arguments: JSON.stringify(c.input ?? {}) },
      }))
      out.push({ role: 'assistant', content: text || null, tool_calls: toolCalls })
      for (const c of calls) out.push({ role: 'tool', tool_call_id: c.toolCallId, content: resultText(c) })
    } else if (text) out.push({ role: 'assistant', content: text })
    text = ''
    calls = []
  }
  for (const part of parts) {
    if (part.type === 'tool-call') calls.push(part)
    else if (part.type === 'text') {
      if (calls.length) flush()
      text += part.text
    }
  }
  flush()
  return out
}
