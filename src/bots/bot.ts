import type { Conversation, Message } from '../storage/store'

/** A quick reply the chat widget shows as a button; sending `value` answers it. */
export type Action = { type: 'reply'; label: string; value: string }

/** What a bot yields while it answers: text as it is generated, then optional actions. */
export type BotEvent = { type: 'delta'; text: string } | { type: 'actions'; actions: Action[] }

export type BotInput = {
  conversation: Conversation
  /** The recent messages, oldest first, ending with `message`. */
  history: Message[]
  /** The user message being answered. */
  message: Message
}

/**
 * A source of replies. `reply` streams its answer and must stop promptly when `signal`
 * aborts; it throws to report a failure (BotError for a reason worth showing the user).
 */
export interface Bot {
  readonly name: string
  reply(input: BotInput, signal: AbortSignal): AsyncIterable<BotEvent>
}

/** A failure with a reason fit for the room (never a secret). */
export class BotError extends Error {
  constructor(
    readonly code: 'bot_failed' | 'bot_timeout',
    message: string,
  ) {
    super(message)
  }
}
