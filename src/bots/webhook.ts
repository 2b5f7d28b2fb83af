import type { Config } from '../config'
import { VERSION } from '../version'
import { type Action, type Bot, BotError, type BotEvent, type BotInput, parseActions, redact } from './bot'

export type WebhookOptions = Pick<Config, 'WEBHOOK_URL' | 'WEBHOOK_SECRET'>

/** `sha256=<hex HMAC-SHA256 of the raw body>`, as sent in X-Parley-Signature. */
export const sign = (body: string, secret: string) =>
  `sha256=${new Bun.CryptoHasher('sha256', secret).update(body).digest('hex')}`

/**
 * Custom reply logic in any language: each user message is POSTed as JSON
 * `{conversation, messages, message}` (signed with WEBHOOK_SECRET). The receiver answers JSON
 * `{content, actions?}`, or streams `{delta}` objects as SSE (`data: {...}` lines) or as
 * newline-delimited JSON; an `{actions}` object may come anywhere in the stream.
 */
export function webhookBot(o: WebhookOptions): Bot {
  const host = new URL(o.WEBHOOK_URL).host
  const secrets = [o.WEBHOOK_SECRET]
  return {
    name: 'webhook',
    async *reply({ conversation, history, message }: BotInput, signal: AbortSignal): AsyncIterable<BotEvent> {
      const body = JSON.stringify({ conversation, messages: history, message })
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream, application/x-ndjson',
        'user-agent': `parley/${VERSION}`,
      }
      if (o.WEBHOOK_SECRET) headers['x-parley-signature'] = sign(body, o.WEBHOOK_SECRET)
      let res: Response
      try {
        res = await fetch(o.WEBHOOK_URL, { method: 'POST', body, headers, signal })
      } catch (error) {
        if (signal.aborted) return
        throw new BotError('bot_failed', `Could not reach the webhook at ${host}`, redact(String(error), secrets))
      }
      if (!res.ok) {
        await res.body?.cancel().catch(() => {})
        throw new BotError('bot_failed', `The webhook answered HTTP ${res.status}`)
      }
      const type = res.headers.get('content-type') ?? ''
      try {
        if (type.includes('application/json')) {
          const answer = (await res.json()) as { content?: unknown; actions?: unknown }
          if (typeof answer?.content !== 'string') throw new SyntaxError('no "content" string')
          yield { type: 'delta', text: answer.content }
          const actions = parseActions(answer.actions)
          if (actions) yield { type: 'actions', actions }
          return
        }
        let actions: Action[] | undefined
        for await (const line of lines(res.body as ReadableStream<Uint8Array>)) {
          const data = type.includes('text/event-stream') ? sseData(line) : line.trim()
          if (!data) continue
          if (data === '[DONE]') break
          const chunk = JSON.parse(data) as { delta?: unknown; actions?: unknown }
          if (typeof chunk.delta === 'string' && chunk.delta) yield { type: 'delta', text: chunk.delta }
          actions = parseActions(chunk.actions) ?? actions
        }
        if (actions) yield { type: 'actions', actions }
      } catch (error) {
        if (signal.aborted) return
        if (error instanceof SyntaxError) {
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

/** The payload of an SSE `data:` line; other SSE fields (event, id, comments) are ignored. */
const sseData = (line: string) => (line.startsWith('data:') ? line.slice(5).trim() : '')

/** Text lines of a byte stream, as they arrive. */
async function* lines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder()
  let pending = ''
  for await (const chunk of body) {
    pending += decoder.decode(chunk, { stream: true })
    let nl = pending.indexOf('\n')
    while (nl !== -1) {
      yield pending.slice(0, nl).replace(/\r$/, '')
      pending = pending.slice(nl + 1)
      nl = pending.indexOf('\n')
    }
  }
  pending += decoder.decode()
  if (pending) yield pending
}
