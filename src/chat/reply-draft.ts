import type { BotEvent } from '../bots/bot'
import type { Generation, Message, Part } from '../storage/store'
import type { ToolCallPart, ToolPhase } from './reply-handle'

/** A reply's text or reasoning as it streams: which part a delta extended, and its type. */
export type PartDelta = { part: number; type: 'text' | 'reasoning'; text: string }
/** A step of a tool call: the part it is, as it stands now. */
export type ToolStep = { part: number; type: 'tool'; phase: ToolPhase; call: ToolCallPart; delta?: string }

/**
 * The most text and reasoning one reply keeps, in characters: a model that runs on is cut there
 * (finish_reason "length"), so a reply always fits every dialect's column (MEDIUMTEXT: 16 MiB).
 */
export const MAX_REPLY_CHARS = 1_000_000

// Without usage from the provider: about four characters a token, marked as estimated.
const estimate = (chars: number) => Math.ceil(chars / 4)

/**
 * A reply being generated: its parts in stream order (consecutive deltas of one kind extend one
 * part; reasoning then text makes two), its content (the text parts) and what the provider
 * reported about it (usage, finish reason, model).
 */
export class ReplyDraft {
  readonly parts: Part[] = []
  private usage: { input: number; output: number } | null = null
  private finish: string | null = null
  private model: string | null = null
  private readonly started = performance.now()
  private chars = 0
  /** The reply reached MAX_REPLY_CHARS: what came after was dropped. */
  cut = false
  private readonly invalid = new Set<string>()
  /** The model's call ids, as this reply's parts name them. */
  private readonly ids = new Map<string, string>()
  private forced = false

  /**
   * Takes one bot event; a text or reasoning delta answers the part it extended, a tool event the
   * call's part. `nameOf` turns a tool's wire name back into its name.
   */
  add(event: BotEvent, nameOf: (wire: string) => string = (w) => w): PartDelta | ToolStep | null {
    switch (event.type) {
      case 'usage':
        // Summed over the reply's steps (each model call reports its own).
        this.usage = {
          input: (this.usage?.input ?? 0) + event.inputTokens,
          output: (this.usage?.output ?? 0) + event.outputTokens,
        }
        return null
      case 'tool-input-start': {
        // Ids are unique in a message: one a later step reuses gets a suffix.
        const id = this.callIndex(event.id) === -1 ? event.id : `${event.id}-${this.parts.length}`
        this.ids.set(event.id, id)
        const call: ToolCallPart = {
          type: 'tool-call',
          toolCallId: id,
          toolName: nameOf(event.name),
          input: null,
          state: 'input-streaming',
        }
        this.parts.push(call)
        return { part: this.parts.length - 1, type: 'tool', phase: 'start', call }
      }
      case 'tool-input-delta': {
        const at = this.callIndex(event.id)
        const call = this.parts[at] as ToolCallPart | undefined
        return call ? { part: at, type: 'tool', phase: 'input-delta', call, delta: event.delta } : null
      }
      case 'tool-call': {
        let at = this.callIndex(event.id)
        if (at === -1) {
          this.parts.push({
            type: 'tool-call',
            toolCallId: event.id,
            toolName: nameOf(event.name),
            input: null,
            state: 'input-streaming',
          })
          at = this.parts.length - 1
        }
        const call = this.parts[at] as ToolCallPart
        call.input = event.input
        call.state = 'input-available'
        if (event.invalid) this.invalid.add(call.toolCallId)
        return { part: at, type: 'tool', phase: 'input', call }
      }
      case 'finish':
        if (!this.forced) this.finish = event.reason
        if (event.model) this.model = event.model
        return null
      case 'delta':
      case 'reasoning': {
        if (!event.text || this.cut) return null
        const room = MAX_REPLY_CHARS - this.chars
        // Cut between characters, never inside a surrogate pair.
        const text = event.text.length > room ? event.text.slice(0, room).replace(/[\ud800-\udbff]$/, '') : event.text
        if (text.length < event.text.length) this.cut = true
        if (!text) return null
        this.chars += text.length
        return this.extend(event.type === 'delta' ? 'text' : 'reasoning', text)
      }
      default:
        return null
    }
  }

  /**
   * The text parts, joined: read once, when the reply is stored (each part's text is built as the
   * deltas come; a second string built beside it would double what every streamed token keeps).
   */
  get content(): string {
    return this.parts.reduce((text, p) => (p.type === 'text' ? text + p.text : text), '')
  }

  /** It has something to keep: text, or tool calls (reasoning alone is no answer). */
  get answered(): boolean {
    return this.parts.some((p) => (p.type === 'text' && p.text !== '') || p.type === 'tool-call')
  }

  /** Calls whose arguments are complete and that have no result yet, by part index. */
  pendingCalls(): number[] {
    return this.parts.flatMap((p, i) => (p.type === 'tool-call' && p.state === 'input-available' ? [i] : []))
  }

  /** The call with that id in this reply, by part index; -1 when none. */
  indexOf(toolCallId: string): number {
    return this.parts.findIndex((p) => p.type === 'tool-call' && p.toolCallId === toolCallId)
  }

  /** The model's arguments of that call were not JSON. */
  isInvalid(toolCallId: string): boolean {
    return this.invalid.has(toolCallId)
  }

  /** Records a call's result. */
  settle(at: number, result: { output: unknown } | { error: string }, durationMs: number): ToolStep {
    const call = this.parts[at] as ToolCallPart
    if ('error' in result) {
      call.state = 'output-error'
      call.errorText = result.error
    } else {
      call.state = 'output-available'
      call.output = result.output
    }
    call.durationMs = durationMs
    return { part: at, type: 'tool', phase: 'result', call }
  }

  /** A call that needs approval: asked, then answered. */
  askApproval(at: number): ToolStep {
    const call = this.parts[at] as ToolCallPart
    call.state = 'approval-requested'
    call.approval = { id: `approval-${call.toolCallId}` }
    return { part: at, type: 'tool', phase: 'approval', call }
  }

  answerApproval(at: number, approved: boolean, reason?: string): ToolStep {
    const call = this.parts[at] as ToolCallPart
    call.approval = { id: call.approval?.id ?? `approval-${call.toolCallId}`, approved, ...(reason ? { reason } : {}) }
    if (approved) call.state = 'approval-responded'
    else {
      call.state = 'output-denied'
      call.errorText = reason ? `Denied: ${reason}` : 'Denied by the user'
    }
    return { part: at, type: 'tool', phase: approved ? 'approval' : 'result', call }
  }

  /** Why the reply ended, when Parley ended it (the step limit), over the model's reason. */
  endWith(reason: string): void {
    this.finish = reason
    this.forced = true
  }

  private callIndex(id: string): number {
    const own = this.ids.get(id) ?? id
    return this.parts.findLastIndex((p) => p.type === 'tool-call' && p.toolCallId === own)
  }

  private extend(type: 'text' | 'reasoning', text: string): PartDelta {
    const last = this.parts.at(-1)
    if (last?.type === type) last.text += text
    else this.parts.push({ type, text })
    return { part: this.parts.length - 1, type, text }
  }

  /** How the reply was made; usage estimated from the history and reply when not reported. */
  generation(history: readonly Message[], stopped: boolean, fallbackModel: string | null): Generation {
    const usage = this.usage
      ? { input_tokens: this.usage.input, output_tokens: this.usage.output, estimated: false }
      : {
          input_tokens: estimate(history.reduce((n, m) => n + m.content.length, 0)),
          output_tokens: estimate(this.parts.reduce((n, p) => n + ('text' in p ? p.text.length : 0), 0)),
          estimated: true,
        }
    return {
      model: this.model ?? fallbackModel,
      finish_reason: stopped ? 'stopped' : this.cut ? 'length' : (this.finish ?? 'stop'),
      usage,
      duration_ms: Math.round(performance.now() - this.started),
    }
  }
}
