import type { BotEvent } from '../bots/bot'
import type { Generation, Message, Part } from '../storage/store'

/** A reply's text or reasoning as it streams: which part a delta extended, and its type. */
export type PartDelta = { part: number; type: 'text' | 'reasoning'; text: string }

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
  content = ''
  private usage: { input: number; output: number } | null = null
  private finish: string | null = null
  private model: string | null = null
  private readonly started = performance.now()
  private chars = 0
  /** The reply reached MAX_REPLY_CHARS: what came after was dropped. */
  cut = false

  /** Takes one bot event; a text or reasoning delta answers the part it extended. */
  add(event: BotEvent): PartDelta | null {
    switch (event.type) {
      case 'usage':
        this.usage = { input: event.inputTokens, output: event.outputTokens }
        return null
      case 'finish':
        this.finish = event.reason
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

  private extend(type: 'text' | 'reasoning', text: string): PartDelta {
    const last = this.parts.at(-1)
    if (last?.type === type) last.text += text
    else this.parts.push({ type, text })
    if (type === 'text') this.content += text
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
