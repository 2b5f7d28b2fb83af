import type { Message, Part } from '../storage/store'

/** A tool call of a reply, as it stands. */
export type ToolCallPart = Extract<Part, { type: 'tool-call' }>
/** Where a tool call is: started, arguments streaming, arguments complete, result in. */
export type ToolPhase = 'start' | 'input-delta' | 'input' | 'approval' | 'result'
/** The room event (and SSE event) of each phase. */
export const TOOL_EVENTS = {
  start: 'tool_call_start',
  'input-delta': 'tool_input_delta',
  input: 'tool_call_input',
  approval: 'tool_call_approval',
  result: 'tool_call_result',
} as const

/** What a reply job reports to whoever follows it (an SSE response, a test). */
export type ReplyEvent =
  | { type: 'start'; messageId: string }
  | { type: 'delta'; messageId: string; delta: string; index: number; part: number }
  | { type: 'part_delta'; messageId: string; delta: string; index: number; part: number; kind: 'reasoning' }
  | { type: 'tool'; phase: ToolPhase; messageId: string; part: number; call: ToolCallPart; delta?: string }
  | { type: 'message'; message: Message }
  | { type: 'error'; code: 'bot_failed' | 'bot_timeout'; message: string }
  | { type: 'done'; stopped: boolean }

/**
 * A queued or running reply's events, for the one consumer that follows it: the SSE answer of
 * the request that asked (`follow`, each event handed over as it is pushed) or its AI SDK
 * stream (`events`). Events wait for that consumer from the start and are let go once it has
 * them: a streamed reply keeps no copy of each token here.
 */
export class ReplyHandle {
  /** Events pushed before the follower came. */
  private queue: ReplyEvent[] = []
  private followed = false
  private ignored = false
  /** A follower called as each event is pushed (follow), and how its wait ends. */
  private listener: ((event: ReplyEvent) => void) | null = null
  private finish: (() => void) | null = null

  push(event: ReplyEvent): void {
    if (this.ignored) return
    if (this.listener) this.listener(event)
    else this.queue.push(event)
  }

  /**
   * Nobody will follow this reply (its room has it: a socket's message, a REST one answered at
   * once): its events are let go as they come instead of waiting for a reader until it ends.
   */
  ignore(): void {
    this.ignored = true
    this.queue = []
    this.listener = null
    this.finish?.()
  }

  /**
   * Hands every event from the start to `listener`, each as it is pushed: no queue and no
   * promise per event between the relay and the follower (the SSE face). Resolves after `done`,
   * or when the follower stops (`ignore`). A listener that throws stops following; the reply
   * goes on. Once per reply.
   */
  follow(listener: (event: ReplyEvent) => void): Promise<void> {
    if (this.followed || this.ignored) throw new Error('a reply is followed by one consumer')
    this.followed = true
    return new Promise<void>((resolve) => {
      this.finish = resolve
      const deliver = (event: ReplyEvent) => {
        try {
          listener(event)
        } catch {
          this.ignore()
          return
        }
        if (event.type === 'done') this.ignore()
      }
      const waiting = this.queue
      this.queue = []
      this.listener = deliver
      for (const event of waiting) if (!this.ignored) deliver(event)
    })
  }

  /** The events from the start, as they come, for a consumer that pulls them (`follow` underneath); once per reply. */
  async *events(): AsyncGenerator<ReplyEvent> {
    const waiting: ReplyEvent[] = []
    let wake: (() => void) | null = null
    let ended = false
    const woken = () => {
      wake?.()
      wake = null
    }
    void this.follow((event) => {
      waiting.push(event)
      woken()
    }).then(() => {
      ended = true
      woken()
    })
    try {
      for (;;) {
        while (waiting.length === 0) {
          if (ended) return
          await new Promise<void>((r) => (wake = r))
        }
        const event = waiting.shift() as ReplyEvent
        yield event
        if (event.type === 'done') return
      }
    } finally {
      this.ignore() // its follower is gone (an SSE client that left): what comes is not kept
    }
  }
}
