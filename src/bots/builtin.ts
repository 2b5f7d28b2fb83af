import type { Action, Bot, BotEvent, BotInput } from './bot'

const reply = (label: string, value = label): Action => ({ type: 'reply', label, value })

type Rule = { test: RegExp; answer: (text: string) => string; actions?: Action[] }

const helpText =
  "I'm Parley's built-in assistant. I can greet you, tell the time, and point you to pricing, " +
  'support or a human. Connect a real model with BOT_PROVIDER=openai to get real answers.'

// First match wins. Keywords that come with quick replies mirror the original widget's buttons.
const rules: Rule[] = [
  {
    test: /^\s*(help|\/help|\?)\s*$/i,
    answer: () => helpText,
    actions: [reply('Pricing'), reply('Support'), reply('Talk to a human')],
  },
  {
    test: /\b(hi|hello|hey|good (morning|afternoon|evening)|bonjour|hola)\b/i,
    answer: () => 'Hello! How can I help you today?',
    actions: [reply('Help'), reply('Pricing'), reply('Support')],
  },
  { test: /\b(time|date|today|clock)\b/i, answer: () => `It is ${new Date().toUTCString()}.` },
  {
    test: /\b(price|pricing|cost|plan|plans)\b/i,
    answer: () => 'Parley is free and self-hosted. Which plan would you like to know about?',
    actions: [reply('Starter'), reply('Team'), reply('Enterprise')],
  },
  {
    test: /\b(support|problem|issue|bug|broken|error)\b/i,
    answer: () => "Sorry to hear that. Tell me what happened, or ask for a human and I'll pass it on.",
    actions: [reply('Talk to a human'), reply('Report a bug')],
  },
  {
    test: /\b(human|agent|person|operator)\b/i,
    answer: () => "I've noted that you'd like a human. Someone will follow up in this conversation.",
  },
  {
    test: /\b(thanks|thank you|merci|gracias)\b/i,
    answer: () => "You're welcome! Anything else?",
    actions: [reply('No, that is all'), reply('Help')],
  },
  { test: /\b(bye|goodbye|see you)\b/i, answer: () => 'Goodbye! Come back any time.' },
  {
    test: /\?\s*$/,
    answer: (q) =>
      `You asked: "${q.trim()}". I'm the offline built-in bot, so I can't look that up — try "help" to see what I can do.`,
  },
]

/** The built-in answer to a message (exported for tests and docs). */
export function builtinAnswer(text: string): { content: string; actions?: Action[] } {
  for (const rule of rules) {
    if (rule.test.test(text)) return { content: rule.answer(text), ...(rule.actions ? { actions: rule.actions } : {}) }
  }
  return { content: `I received your message: "${text.trim()}". Type "help" to see what I can do.` }
}

/**
 * A small offline bot so the server chats out of the box: it streams its answer in word-sized
 * chunks, `delayMs` apart, like a model would, then its actions and a `stop` finish as model
 * `builtin`.
 */
export function builtinBot(delayMs: number): Bot {
  return {
    name: 'builtin',
    async *reply({ message }: BotInput, signal: AbortSignal): AsyncIterable<BotEvent> {
      const { content, actions } = builtinAnswer(message.content)
      for (const word of content.split(/(?<= )/)) {
        if (delayMs > 0) await pause(delayMs, signal)
        if (signal.aborted) return
        yield { type: 'delta', text: word }
      }
      if (signal.aborted) return
      if (actions) yield { type: 'actions', actions }
      // No usage: it counts no tokens (the reply loop estimates them).
      yield { type: 'finish', reason: 'stop', model: 'builtin' }
    },
  }
}

/** Waits `ms`, or less when `signal` aborts: a stop takes effect at once, not at the next chunk. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}
