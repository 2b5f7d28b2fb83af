import type { RoomEvent } from './events'
import type { Transport } from './hub'

/** A part so far: text or reasoning, or a tool call as it stands (fields of the tool-call part). */
type ProgressPart = { type: string; text: string } | ({ type: 'tool-call' } & Record<string, unknown>)
type Progress = { messageId: string; content: string; parts: ProgressPart[] }
/**
 * As it is kept: text as its deltas, joined only when asked. A string grown by `+=` keeps one
 * more string per token, live until the reply ends, for every reply streaming.
 */
type Pieces = { type: string; chunks: string[] }
type KeptPart = Pieces | Extract<ProgressPart, { type: 'tool-call' }>
type Kept = { messageId: string; content: string[]; parts: KeptPart[] }
const isPieces = (p: KeptPart): p is Pieces => Array.isArray(p.chunks)

const TOOL_FIELDS = [
  'toolCallId',
  'toolName',
  'input',
  'state',
  'output',
  'errorText',
  'durationMs',
  'approval',
] as const

/** Adds a delta to the part it names (deltas of a reply arrive in order, parts in order). */
function extend(progress: Kept, delta: string, data: Record<string, unknown>, type: string) {
  const at = typeof data.part === 'number' ? data.part : progress.parts.length - 1
  const part = progress.parts[at]
  if (part && part.type === type && isPieces(part)) part.chunks.push(delta)
  else if (at === progress.parts.length || at < 0) progress.parts.push({ type, chunks: [delta] })
}

/**
 * Which conversations have a bot reply generating right now, on any instance, and its text and
 * parts so far — read from the room events themselves (typing from "ai", message_delta,
 * part_delta, the stored reply), so it holds for replies running on other instances too.
 */
export class ReplyProgress implements Transport {
  private readonly replies = new Map<string, Kept>()

  deliver(event: RoomEvent): void {
    const { conversationId, data } = event
    switch (event.name) {
      case 'typing':
        if (data.userId !== 'ai') return
        if (data.isTyping && typeof data.messageId === 'string')
          this.replies.set(conversationId, { messageId: data.messageId, content: [], parts: [] })
        else if (!data.isTyping) this.replies.delete(conversationId)
        return
      case 'message_delta':
      case 'part_delta': {
        let current = this.replies.get(conversationId)
        if (!current || current.messageId !== data.messageId) {
          current = { messageId: String(data.messageId), content: [], parts: [] }
          this.replies.set(conversationId, current)
        }
        const text = event.name === 'message_delta'
        const delta = String(data.delta)
        if (text) current.content.push(delta)
        extend(current, delta, data, text ? 'text' : String(data.type))
        return
      }
      case 'tool_call_start':
      case 'tool_call_input':
      case 'tool_call_approval':
      case 'tool_call_result': {
        const current = this.replies.get(conversationId)
        if (!current || current.messageId !== data.messageId || typeof data.part !== 'number') return
        const call: KeptPart = { type: 'tool-call' }
        for (const key of TOOL_FIELDS) if (data[key] !== undefined) call[key] = data[key]
        // Parts arrive in order: a call's start is the next part, later phases replace it.
        if (data.part <= current.parts.length) current.parts[data.part] = call
        return
      }
      case 'new_message':
        if (this.replies.get(conversationId)?.messageId === data.id) this.replies.delete(conversationId)
        return
      case 'conversation_deleted':
        this.replies.delete(conversationId)
    }
  }

  get(conversationId: string): Progress | null {
    const current = this.replies.get(conversationId)
    if (!current) return null
    const parts = current.parts.map((p) =>
      isPieces(p) ? { type: p.type, text: p.chunks.join('') } : ({ ...p } as ProgressPart),
    )
    return { messageId: current.messageId, content: current.content.join(''), parts }
  }
}
