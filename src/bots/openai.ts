import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai'
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions'
import type { Config } from '../config'
import { type Bot, BotError, type BotEvent, type BotInput, redact } from './bot'

export type OpenAIOptions = Pick<
  Config,
  | 'OPENAI_BASE_URL'
  | 'OPENAI_API_KEY'
  | 'OPENAI_MODEL'
  | 'BOT_SYSTEM_PROMPT'
  | 'BOT_TEMPERATURE'
  | 'BOT_MAX_TOKENS'
  | 'BOT_TIMEOUT_MS'
>

/** The request body sent upstream: the system prompt, then the history as user/assistant turns. */
export function chatRequest(o: OpenAIOptions, { history }: Pick<BotInput, 'history'>) {
  const messages: ChatCompletionMessageParam[] = [{ role: 'system', content: o.BOT_SYSTEM_PROMPT }]
  for (const m of history) messages.push({ role: m.sender === 'user' ? 'user' : 'assistant', content: m.content })
  return {
    model: o.OPENAI_MODEL,
    messages,
    stream: true as const,
    ...(o.BOT_TEMPERATURE === undefined ? {} : { temperature: o.BOT_TEMPERATURE }),
    ...(o.BOT_MAX_TOKENS === undefined ? {} : { max_tokens: o.BOT_MAX_TOKENS }),
  }
}

/**
 * Any server speaking the OpenAI Chat Completions API with `stream: true` (OpenAI, Ollama,
 * vLLM, llama.cpp, LM Studio, Groq, OpenRouter, Gemini's and Anthropic's compatible endpoints),
 * through the official SDK: its SSE parsing, retries before the stream starts, and error types.
 * Aborting `signal` aborts the upstream HTTP request, so the model stops being billed.
 */
export function openaiBot(o: OpenAIOptions): Bot {
  const client = new OpenAI({
    baseURL: o.OPENAI_BASE_URL,
    // The SDK insists on a key; servers without auth (Ollama, llama.cpp) ignore this one.
    apiKey: o.OPENAI_API_KEY || 'no-key',
    maxRetries: 2,
    timeout: o.BOT_TIMEOUT_MS,
    logLevel: 'off',
  })
  const host = new URL(o.OPENAI_BASE_URL).host
  const fail = (error: unknown) => describe(error, host, o.OPENAI_MODEL, [o.OPENAI_API_KEY])
  return {
    name: 'openai',
    async *reply(input: BotInput, signal: AbortSignal): AsyncIterable<BotEvent> {
      let finished = false
      try {
        const stream = await client.chat.completions.create(chatRequest(o, input), { signal })
        for await (const chunk of stream) {
          const choice = chunk.choices?.[0]
          const text = choice?.delta?.content
          if (text) yield { type: 'delta', text }
          if (choice?.finish_reason) finished = true
        }
      } catch (error) {
        if (signal.aborted) return
        throw fail(error)
      }
      // The SDK ends quietly when the connection drops mid-stream: only a finish_reason says
      // the reply is complete.
      if (!finished && !signal.aborted) {
        throw new BotError('bot_failed', 'The model provider stopped streaming before the reply was complete')
      }
    },
  }
}

function describe(error: unknown, host: string, model: string, secrets: string[]): BotError {
  const detail = redact(error instanceof Error ? `${error.name}: ${error.message}` : String(error), secrets)
  if (error instanceof APIConnectionTimeoutError)
    return new BotError('bot_timeout', 'The model provider did not answer in time', detail)
  if (error instanceof APIConnectionError)
    return new BotError('bot_failed', `Could not reach the model provider at ${host}`, detail)
  if (error instanceof APIError && error.status !== undefined) {
    const status = error.status
    const why =
      status === 401 || status === 403
        ? 'rejected the API key (check OPENAI_API_KEY)'
        : status === 404
          ? `does not know model "${model}" or the URL (check OPENAI_MODEL and OPENAI_BASE_URL)`
          : status === 429
            ? 'is rate limiting or out of quota; try again shortly'
            : status >= 500
              ? 'failed'
              : 'refused the request'
    return new BotError('bot_failed', `The model provider ${why} (HTTP ${status})`, detail)
  }
  if (error instanceof SyntaxError)
    return new BotError('bot_failed', 'The model provider sent a malformed stream', detail)
  return new BotError('bot_failed', 'The model provider failed to answer', detail)
}
