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

/** A queued or running reply: its events from the start, replayable by any late follower. */
export class ReplyHandle {
  private readonly log: ReplyEvent[] = []
  private waiters: (() => void)[] = []

  push(event: ReplyEvent): void {
    this.log.push(event)
    for (const wake of this.waiters.splice(0)) wake()
  }

  async *events(): AsyncGenerator<ReplyEvent> {
    for (let i = 0; ; i++) {
      while (i >= this.log.length) await new Promise<void>((r) => this.waiters.push(r))
      const event = this.log[i] as ReplyEvent
      yield event
      if (event.type === 'done') return
    }
  }
}
