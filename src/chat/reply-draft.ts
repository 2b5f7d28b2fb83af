import type { BotEvent } from '../bots/bot'
import type { Generation, Message, Part } from '../storage/store'

/** A reply's text or reasoning as it streams: which part a delta extended, and its type. */
export type PartDelta = { part: number; type: 'text' | 'reasoning'; text: string }

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
        if (!event.text) return null
        const type = event.type === 'delta' ? 'text' : 'reasoning'
        const last = this.parts.at(-1)
        if (last?.type === type) last.text += event.text
        else this.parts.push({ type, text: event.text })
        if (type === 'text') this.content += event.text
        return { part: this.parts.length - 1, type, text: event.text }
      }
      default:
        return null
    }
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
      finish_reason: stopped ? 'stopped' : (this.finish ?? 'stop'),
      usage,
      duration_ms: Math.round(performance.now() - this.started),
    }
  }
}
