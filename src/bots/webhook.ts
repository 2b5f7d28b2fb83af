import { VERSION } from '../version'
import { type Action, type Bot, BotError, type BotEvent, type BotInput, parseActions, redact } from './bot'

/** Where a webhook provider posts, and the key of its signature ('' for unsigned). */
export type WebhookConnection = { url: string; secret: string }

/** `sha256=<hex HMAC-SHA256 of the raw body>`, as sent in X-Parley-Signature. */
export const sign = (body: string, secret: string) =>
  `sha256=${new Bun.CryptoHasher('sha256', secret).update(body).digest('hex')}`

/** The longest answer read as JSON, in bytes, and the longest line of a streamed one. */
export const MAX_ANSWER_BYTES = 16 << 20
export const MAX_LINE_CHARS = 1 << 20
/** Token counts above this are not believed. */
const MAX_TOKENS = 1_000_000_000

/**
 * Custom reply logic in any language: each user message is POSTed as JSON
 * `{assistant, conversation, messages, message}` (signed with its secret); `assistant` is
 * `{id, name, model, system_prompt, metadata}`, for a receiver serving several personas. The receiver answers JSON
 * `{content, actions?, reasoning?, usage?, finish_reason?, model?}`, or streams objects as SSE
 * (`data: {...}` lines) or as newline-delimited JSON: `{delta}` and `{reasoning}` pieces, and
 * anywhere in the stream `{actions}`, `{usage: {input_tokens, output_tokens}}` and
 * `{finish_reason, model?}`. Fields that do not fit are ignored; the last of each kind counts.
 */
export function webhookBot(o: WebhookConnection, name = 'webhook'): Bot {
  const host = new URL(o.url).host
  const secrets = [o.secret]
  return {
    name,
    async *reply(
      { assistant: a, conversation, history, message }: BotInput,
      signal: AbortSignal,
    ): AsyncIterable<BotEvent> {
      const assistant = {
        id: a.id,
        name: a.name,
        model: a.model,
        system_prompt: a.systemPrompt,
        metadata: a.metadata ?? {},
      }
      const body = JSON.stringify({ assistant, conversation, messages: history, message })
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream, application/x-ndjson',
        'user-agent': `parley/${VERSION}`,
      }
      if (o.secret) headers['x-parley-signature'] = sign(body, o.secret)
      let res: Response
      try {
        res = await fetch(o.url, { method: 'POST', body, headers, signal })
      } catch (error) {
        if (signal.aborted) return
        throw new BotError('bot_failed', `Could not reach the webhook at ${host}`, redact(String(error), secrets))
      }
      if (!res.ok) {
        await res.body?.cancel().catch(() => {})
        throw new BotError('bot_failed', `The webhook answered HTTP ${res.status}`)
      }
      const type = res.headers.get('content-type') ?? ''
      const stream = (res.body ?? new Blob([]).stream()) as ReadableStream<Uint8Array>
      try {
        if (type.includes('application/json')) {
          const answer: unknown = JSON.parse(await readAll(stream, MAX_ANSWER_BYTES))
          const content = field(answer, 'content')
          if (typeof content !== 'string') throw new SyntaxError('no "content" string')
          const reasoning = field(answer, 'reasoning')
          if (typeof reasoning === 'string' && reasoning) yield { type: 'reasoning', text: reasoning }
          yield { type: 'delta', text: content }
          yield* ending(parseActions(field(answer, 'actions')), usageOf(answer), finishOf(answer))
          return
        }
        let actions: Action[] | undefined
        let usage: Usage | undefined
        let finish: Finish | undefined
        for await (const line of lines(stream, MAX_LINE_CHARS)) {
          const data = type.includes('text/event-stream') ? sseData(line) : line.trim()
          if (!data) continue
          if (data === '[DONE]') break
          const chunk: unknown = JSON.parse(data)
          const reasoning = field(chunk, 'reasoning')
          if (typeof reasoning === 'string' && reasoning) yield { type: 'reasoning', text: reasoning }
          const delta = field(chunk, 'delta')
          if (typeof delta === 'string' && delta) yield { type: 'delta', text: delta }
          actions = parseActions(field(chunk, 'actions')) ?? actions
          usage = usageOf(chunk) ?? usage
          finish = finishOf(chunk) ?? finish
        }
        if (signal.aborted) return
        yield* ending(actions, usage, finish)
      } catch (error) {
        if (signal.aborted) return
        if (error instanceof SyntaxError || error instanceof TooLong) {
          throw new BotError(
            'bot_failed',
            'The webhook sent an answer Parley cannot read',
            redact(error.message, secrets),
          )
        }
        throw new BotError('bot_failed', 'The webhook connection failed mid-answer', redact(String(error), secrets))
      }
    },
  }
}

type Usage = Extract<BotEvent, { type: 'usage' }>
type Finish = Extract<BotEvent, { type: 'finish' }>

/** What comes after the text: the actions, the usage, then why the answer ended. */
function* ending(actions: Action[] | undefined, usage: Usage | undefined, finish: Finish | undefined) {
  if (actions) yield { type: 'actions', actions } satisfies BotEvent
  if (usage) yield usage
  if (finish) yield finish
}

/** `value[key]` when `value` is a JSON object. */
const field = (value: unknown, key: string): unknown =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined

const tokenCount = (v: unknown): v is number =>
  Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= MAX_TOKENS

/** `{usage: {input_tokens, output_tokens}}`, both whole numbers from 0 to 10^9. */
function usageOf(value: unknown): Usage | undefined {
  const usage = field(value, 'usage')
  const input = field(usage, 'input_tokens')
  const output = field(usage, 'output_tokens')
  return tokenCount(input) && tokenCount(output)
    ? { type: 'usage', inputTokens: input, outputTokens: output }
    : undefined
}

const text = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max

/** `{finish_reason, model?}`: a reason of 1 to 64 characters, a model name of 1 to 200. */
function finishOf(value: unknown): Finish | undefined {
  const reason = field(value, 'finish_reason')
  if (!text(reason, 64)) return undefined
  const model = field(value, 'model')
  return { type: 'finish', reason, model: text(model, 200) ? model : undefined }
}

/** A body or line longer than Parley reads. */
class TooLong extends Error {}

/** The payload of an SSE `data:` line; other SSE fields (event, id, comments) are ignored. */
const sseData = (line: string) => (line.startsWith('data:') ? line.slice(5).trim() : '')

/** A whole body as text, failing past `max` bytes. */
export async function readAll(body: ReadableStream<Uint8Array>, max: number): Promise<string> {
  const parts: Uint8Array[] = []
  let size = 0
  for await (const chunk of body) {
    size += chunk.byteLength
    if (size > max) throw new TooLong(`an answer over ${max} bytes`)
    parts.push(chunk)
  }
  return new TextDecoder().decode(Buffer.concat(parts))
}

/** Text lines of a byte stream, as they arrive, failing on one longer than `max` characters. */
async function* lines(body: ReadableStream<Uint8Array>, max: number): AsyncGenerator<string> {
  const decoder = new TextDecoder()
  let pending = ''
  for await (const chunk of body) {
    pending += decoder.decode(chunk, { stream: true })
    let nl = pending.indexOf('\n')
    while (nl !== -1 && nl <= max) {
      yield pending.slice(0, nl).replace(/\r$/, '')
      pending = pending.slice(nl + 1)
      nl = pending.indexOf('\n')
    }
    // What is left is the start of a line, or a line too long to yield.
    if (pending.length > max) throw new TooLong(`a line over ${max} characters`)
  }
  pending += decoder.decode()
  if (pending) yield pending
}
