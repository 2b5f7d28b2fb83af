import { AppError } from '../errors'
import type { ToolAnswer } from '../hub/events'
import { ChatSession } from './chat-session'
import { checkMetadata, checkText } from './checks'

type Loc = (string | number)[]
/** The answer without its conversation (the route or event names that). */
export type ToolReply = ToolAnswer extends infer A ? (A extends ToolAnswer ? Omit<A, 'conversationId'> : never) : never

/**
 * A user's answers to a reply's paused tool calls — a client tool's result, an approval — from
 * any transport, to the instance running the reply.
 */
export class ToolSession extends ChatSession {
  /**
   * Hands the answer to the call it names: 409 `tool_call_not_pending` unless a reply of this
   * conversation (on any instance) has that call waiting for this kind of answer now.
   */
  async answerToolCall(conversationId: string, reply: ToolReply, at: Loc): Promise<{ accepted: true }> {
    await this.requireBrief(conversationId)
    checkText(reply.toolCallId, [...at, 'tool_call_id'])
    if (reply.kind === 'result') {
      checkText(reply.error, [...at, 'error'])
      if (reply.output !== undefined) checkMetadata({ output: reply.output }, [...at, 'output'], this.d.limits)
    } else checkText(reply.reason, [...at, 'reason'])
    const answer = { ...reply, conversationId } as ToolAnswer
    const part = this.d.progress
      .get(conversationId)
      ?.parts.find((p) => p.type === 'tool-call' && 'toolCallId' in p && p.toolCallId === reply.toolCallId)
    const state = part && 'state' in part ? part.state : undefined
    if (state !== (reply.kind === 'approval' ? 'approval-requested' : 'input-available')) {
      throw new AppError('tool_call_not_pending', 'No tool call with this id waits for this answer')
    }
    // Running here, or on another instance: the bus takes it there.
    if (!this.d.replies?.answer(answer)) this.d.hub.requestAnswer(answer)
    return { accepted: true }
  }
}
