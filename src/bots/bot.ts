import type { Conversation, Message, Metadata, Part } from '../storage/store'
import type { FileLoader } from './provider-messages'

/** A quick reply the chat widget shows as a button; sending `value` answers it. */
export type Action = { type: 'reply'; label: string; value: string }

/**
 * What a bot yields while it answers: text as it is generated (and the model's reasoning, when
 * it shows it), then optional actions, the token usage the provider reported and why it stopped.
 */
export type BotEvent =
  | { type: 'delta'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'actions'; actions: Action[] }
  | { type: 'usage'; inputTokens: number; outputTokens: number }
  | { type: 'finish'; reason: string; model?: string | undefined }
  /** The model starts a tool call (`name` is the tool's wire name), streams its arguments, then makes it. */
  | { type: 'tool-input-start'; id: string; name: string }
  | { type: 'tool-input-delta'; id: string; delta: string }
  /** `input`: the parsed arguments, or `{ invalid: <the text> }` when they are not JSON. */
  | { type: 'tool-call'; id: string; name: string; input: unknown; invalid?: boolean }

/** A tool the model may call in this reply. */
export type BotTool = { name: string; wireName: string; description: string; inputSchema: Record<string, unknown> }

/** The assistant a reply is generated for, as it was when the reply started. */
export type ReplySettings = {
  id: string
  name: string
  /** The model asked for ('' when the provider picks, as webhooks and the built-in bot do). */
  model: string
  /** Instructions sent before the history ('' for none). */
  systemPrompt: string
  temperature?: number | undefined
  maxTokens?: number | undefined
  metadata?: Metadata | undefined
}

export type BotInput = {
  /** Whose settings apply: the conversation's assistant. */
  assistant: ReplySettings
  conversation: Conversation
  /** The recent messages, oldest first, ending with `message`. */
  history: Message[]
  /** The user message being answered. */
  message: Message
  /** Reads a stored file named by a file part (`/files/{id}`), for providers that take files. */
  files?: FileLoader | undefined
  /** Tools the model may call (providers that cannot call tools ignore them). */
  tools?: readonly BotTool[] | undefined
  /** This reply's parts so far: earlier steps' text and tool calls with their results. */
  steps?: readonly Part[] | undefined
}

/**
 * A source of replies. `reply` streams its answer and must stop promptly when `signal`
 * aborts; it throws to report a failure (BotError for a reason worth showing the user).
 */
export interface Bot {
  readonly name: string
  reply(input: BotInput, signal: AbortSignal): AsyncIterable<BotEvent>
}

/**
 * A failure with a reason fit for the room. `detail` is the underlying cause for the log,
 * already scrubbed of secrets; neither ever carries an API key.
 */
export class BotError extends Error {
  constructor(
    readonly code: 'bot_failed' | 'bot_timeout',
    message: string,
    readonly detail?: string,
  ) {
    super(message)
  }
}

/** Replaces every occurrence of the given secrets (API keys) in `text`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]')
  return out
}

/** Quick replies as a provider sent them, checked and normalised (at most 10). */
export function parseActions(value: unknown): Action[] | undefined {
  if (!Array.isArray(value)) return undefined
  const actions: Action[] = []
  for (const item of value.slice(0, 10)) {
    const label = typeof item === 'string' ? item : item?.label
    const given = typeof item === 'string' ? item : item?.value
    if (typeof label !== 'string' || !label) continue
    actions.push({ type: 'reply', label: label.slice(0, 200), value: String(given ?? label).slice(0, 2000) })
  }
  return actions.length ? actions : undefined
}
