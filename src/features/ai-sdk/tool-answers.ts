import type { ToolReply } from '../../chat/tool-session'
import { AppError } from '../../errors'

type UIPartIn = { type: string; [key: string]: unknown }
type Answering = { answerToolCall(conversationId: string, reply: ToolReply, at: (string | number)[]): Promise<unknown> }

/**
 * What a client's assistant message answers of the reply's paused tool calls: a client tool's
 * result (`addToolResult`: output-available / output-error) or an approval
 * (`addToolApprovalResponse`: approval-responded / output-denied). Each answer a call waits for
 * is handed to it; the count of those taken. A request answering nothing that waits is a 409.
 */
export async function answerFromUI(
  session: Answering,
  conversationId: string,
  parts: readonly UIPartIn[],
  at: (string | number)[],
): Promise<number> {
  let taken = 0
  for (const [i, p] of parts.entries()) {
    if (!(p.type === 'dynamic-tool' || p.type.startsWith('tool-')) || typeof p.toolCallId !== 'string') continue
    const toolCallId = p.toolCallId
    const approval = (p.approval ?? {}) as { approved?: unknown; reason?: unknown }
    const reason = typeof approval.reason === 'string' ? approval.reason : undefined
    let reply: ToolReply | null = null
    if (p.state === 'output-available') reply = { kind: 'result', toolCallId, output: p.output }
    else if (p.state === 'output-error')
      reply = { kind: 'result', toolCallId, error: String(p.errorText ?? 'The tool failed') }
    else if (p.state === 'approval-responded' || p.state === 'output-denied')
      reply = { kind: 'approval', toolCallId, approved: approval.approved === true, reason }
    if (!reply) continue
    try {
      await session.answerToolCall(conversationId, reply, [...at, i])
      taken++
    } catch (error) {
      // A call answered before (the client sends its whole message): not an error.
      if (!(error instanceof AppError && error.code === 'tool_call_not_pending')) throw error
    }
  }
  if (!taken) throw new AppError('tool_call_not_pending', 'No tool call of this chat waits for these answers')
  return taken
}
