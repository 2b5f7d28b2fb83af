import type { EventSourceMessage } from 'eventsource-parser'
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai'
import type { ChatCompletionChunk, ChatCompletionMessageParam } from 'openai/resources/chat/completions'
import { wireNameOf } from '../tools/tool'
import { type Bot, BotError, type BotEvent, type BotInput, type ReplySettings, redact } from './bot'
import { guardedFetch } from './bounded-fetch'
import { providerMessages } from './provider-messages'
import { EventTooLong, sseEvents } from './sse-events'
import { type Pending, takeToolDeltas, toolCalls } from './tool-stream'
import { toolTurns } from './tool-turns'

/** A connection to an OpenAI-compatible server (a provider of the config). */
export type OpenAIConnection = { baseUrl: string; apiKey: string; timeoutMs: number }

/** Token counts above this are not believed. */
const MAX_TOKENS = 1_000_000_000
/** The longest SSE event read from the provider, in characters (a chunk is a few hundred). */
const MAX_EVENT_CHARS = 1 << 20

/**
 * The request body sent upstream: the assistant's instructions, then the history as
 * user/assistant turns (with the users' files as the inputs providers take: provider-messages.ts).
 * `includeUsage` asks for the token usage in a last chunk (`stream_options.include_usage`).
 */
export async function chatRequest(
  a: ReplySettings,
  { history, files, tools = [], steps = [] }: Pick<BotInput, 'history' | 'files' | 'tools' | 'steps'>,
  includeUsage = true,
) {
  const wire = new Map(tools.map((t) => [t.name, t.wireName]))
  const wireOf = (name: string) => wire.get(name) ?? wireNameOf(name)
  const messages: ChatCompletionMessageParam[] = [
    ...(a.systemPrompt ? [{ role: 'system' as const, content: a.systemPrompt }] : []),
    ...(await providerMessages(history, files, wireOf)),
    // This reply's earlier steps: what the model said and called, and what the tools answered.
    ...toolTurns(steps, wireOf),
  ]
  return {
    model: a.model,
    messages,
    ...(tools.length && {
      tools: tools.map((t) => ({
        type: 'function' as const,
        function: { name: t.wireName, description: t.description, parameters: t.inputSchema },
      })),
    }),
    stream: true as const,
    ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
    ...(a.temperature === undefined ? {} : { temperature: a.temperature }),
    ...(a.maxTokens === undefined ? {} : { max_tokens: a.maxTokens }),
  }
}

/**
 * Any server speaking the OpenAI Chat Completions API with `stream: true` (OpenAI, Ollama,
 * vLLM, llama.cpp, LM Studio, Groq, OpenRouter, Gemini's and Anthropic's compatible endpoints),
 * through the official SDK: its requests, retries before the stream starts, and error types. The
 * stream itself is read by `sseEvents` (the SDK's own reader costs more per token than relaying
 * it). Aborting `signal` aborts the upstream HTTP request, so the model stops being billed.
 *
 * It yields the text and the model's reasoning as they arrive, then the usage the server reported
 * (it is asked for with `stream_options.include_usage`) and the finish_reason with the model that
 * answered. A server that refuses `stream_options` with a 400 naming it (older Azure OpenAI API
 * versions, vLLM before 0.5) is asked again without it, and no longer asked.
 */
export function openaiBot(o: OpenAIConnection, name = 'openai'): Bot {
  const client = new OpenAI({
    baseURL: o.baseUrl,
    // The SDK insists on a key; servers without auth (Ollama, llama.cpp) ignore this one.
    apiKey: o.apiKey || 'no-key',
    maxRetries: 2,
    timeout: o.timeoutMs,
    logLevel: 'off',
    fetch: guardedFetch,
  })
  const host = new URL(o.baseUrl).host
  let askUsage = true
  // The answer as it arrives: the SDK has checked its status (and retried) before it resolves.
  const ask = async (input: BotInput, signal: AbortSignal, usage: boolean) =>
    await client.chat.completions.create(await chatRequest(input.assistant, input, usage), { signal }).asResponse()
  const open = async (input: BotInput, signal: AbortSignal) => {
    if (askUsage) {
      try {
        return await ask(input, signal, true)
      } catch (error) {
        if (!refusesStreamOptions(error)) throw error
        askUsage = false
      }
    }
    return await ask(input, signal, false)
  }
  return {
    name,
    async *reply(input: BotInput, signal: AbortSignal): AsyncIterable<BotEvent> {
      const fail = (error: unknown) => describe(error, host, input.assistant.model, [o.apiKey])
      let reason: string | undefined
      let model: string | undefined
      let usage: Extract<BotEvent, { type: 'usage' }> | undefined
      const pending: Pending[] = []
      try {
        const res = await open(input, signal)
        for await (const event of sseEvents(res.body ?? new Blob([]).stream(), MAX_EVENT_CHARS)) {
          if (event.data === '[DONE]') break
          const chunk = chunkOf(event, res.headers)
          const choice = chunk.choices?.[0]
          if (choice?.delta?.tool_calls) yield* takeToolDeltas(choice.delta.tool_calls, pending)
          const thought = choice?.delta && reasoningOf(choice.delta)
          if (thought) yield { type: 'reasoning', text: thought }
          const text = choice?.delta?.content
          if (text) yield { type: 'delta', text }
          if (choice?.finish_reason) reason ??= String(choice.finish_reason).slice(0, 64)
          if (typeof chunk.model === 'string' && chunk.model && chunk.model.length <= 200) model = chunk.model
          // OpenAI sends it in a last chunk without choices, llama.cpp with the finish_reason.
          usage = usageOf(chunk.usage) ?? usage
        }
      } catch (error) {
        if (signal.aborted) return
        throw fail(error)
      }
      if (signal.aborted) return
      // The SDK ends quietly when the connection drops mid-stream: only a finish_reason says
      // the reply is complete.
      if (reason === undefined) {
        throw new BotError('bot_failed', 'The model provider stopped streaming before the reply was complete')
      }
      yield* toolCalls(pending)
      if (usage) yield usage
      yield { type: 'finish', reason, model }
    },
  }
}

/**
 * The chunk an SSE event carries; an error the provider reports mid-stream (an `error` event or
 * an `{error}` payload, as the SDK reads them) is thrown as the SDK's APIError.
 */
function chunkOf(event: EventSourceMessage, headers: Headers): ChatCompletionChunk {
  let data: unknown
  try {
    data = JSON.parse(event.data)
  } catch {
    throw new SyntaxError('an SSE event that is not JSON')
  }
  if (data === null || typeof data !== 'object') throw new SyntaxError('an SSE event that is not a JSON object')
  const error = 'error' in data && data.error ? data.error : event.event === 'error' ? data : undefined
  if (error) throw new APIError(undefined, error, undefined, headers)
  return data as ChatCompletionChunk
}

/**
 * The reasoning text of a delta: `reasoning_content` (DeepSeek, vLLM, llama.cpp) or `reasoning`
 * (OpenRouter, Ollama, newer vLLM). Both are wire fields the SDK's types do not declare; a server
 * sending both sends the same text, so it is read once.
 */
function reasoningOf(delta: ChatCompletionChunk.Choice.Delta): string | undefined {
  if ('reasoning_content' in delta && typeof delta.reasoning_content === 'string' && delta.reasoning_content)
    return delta.reasoning_content
  if ('reasoning' in delta && typeof delta.reasoning === 'string' && delta.reasoning) return delta.reasoning
  return undefined
}

const tokenCount = (v: unknown): v is number =>
  Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= MAX_TOKENS

/** The usage of a chunk, when it carries a believable one. */
function usageOf(usage: ChatCompletionChunk['usage']): Extract<BotEvent, { type: 'usage' }> | undefined {
  if (!usage || !tokenCount(usage.prompt_tokens) || !tokenCount(usage.completion_tokens)) return undefined
  return { type: 'usage', inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens }
}

/** A 400 naming `stream_options`: the server does not know the option. */
function refusesStreamOptions(error: unknown): boolean {
  return (
    error instanceof APIError &&
    error.status === 400 &&
    (error.param === 'stream_options' || error.message.includes('stream_options'))
  )
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
        ? "rejected the API key (check the provider's api_key or OPENAI_API_KEY)"
        : status === 404
          ? `does not know model "${model}" or the URL (check the model and the base URL)`
          : status === 429
            ? 'is rate limiting or out of quota; try again shortly'
            : status >= 500
              ? 'failed'
              : 'refused the request'
    return new BotError('bot_failed', `The model provider ${why} (HTTP ${status})`, detail)
  }
  if (error instanceof SyntaxError || error instanceof EventTooLong)
    return new BotError('bot_failed', 'The model provider sent a malformed stream', detail)
  return new BotError('bot_failed', 'The model provider failed to answer', detail)
}
