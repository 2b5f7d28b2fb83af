import type { ReplyPlan } from '../bots/assistants'
import { type Action, BotError, type BotInput } from '../bots/bot'
import type { ToolAnswer } from '../hub/events'
import type { ToolDef } from '../tools/tool'
import type { Toolbox, ToolRun } from '../tools/toolbox'
import { withDeadlines } from './deadlines'
import type { ProviderRuntime } from './replies'
import type { ReplyDraft } from './reply-draft'
import type { ToolCallPart } from './reply-handle'
import { publishTool, type Relay, relay } from './reply-relay'
import type { ToolAnswers } from './tool-answers'

export type Run = {
  provider: ProviderRuntime
  plan: ReplyPlan
  toolbox: Toolbox | null
  /** The model's input, less the tools and the steps so far (added per step). */
  input: Omit<BotInput, 'tools' | 'steps'>
  draft: ReplyDraft
  relayTo: Relay
  abort: AbortController
  /** Tools the front-end declared for this reply: the client runs them and posts results. */
  clientTools?: readonly ToolDef[] | undefined
  /** Where paused calls wait for a user, and for how long at most. */
  answers: ToolAnswers
  waitMs: number
  /** Tool calls per user (the conversation's owner): seconds to wait, 0 when allowed. */
  takeCall?: ((userId: string) => number) | undefined
}

/**
 * One reply, as many model calls as it takes: the model answers or calls tools; the calls of a
 * step run at once; their results go back to the model, up to the assistant's `max_steps`
 * model calls and the provider's total deadline. Every call and result is a part of the reply,
 * streamed as it happens. A tool's failure is a result the model sees, never the reply's end;
 * aborting cancels the model call or the tool calls in flight.
 */
export async function runSteps(run: Run): Promise<Action[] | undefined> {
  const { provider, plan, toolbox, draft, relayTo, abort } = run
  const server = toolbox?.resolve(plan.tools) ?? []
  // A client tool never shadows a server tool of the same name.
  const taken = new Set(server.flatMap((d) => [d.name, d.wireName]))
  const defs = [...server, ...(run.clientTools ?? []).filter((d) => !taken.has(d.name))]
  const byWire = new Map(defs.map((d) => [d.wireName, d]))
  const byName = new Map(defs.map((d) => [d.name, d]))
  const tools = defs.map(({ name, wireName, description, inputSchema }) => ({
    name,
    wireName,
    description,
    inputSchema,
  }))
  const nameOf = (wire: string) => byWire.get(wire)?.name ?? wire
  let started = performance.now()
  const { totalMs, firstChunkMs } = provider.deadlines
  const context = { conversationId: run.input.conversation.id, userId: run.input.conversation.user_id }
  let actions: Action[] | undefined
  for (let step = 1; ; step++) {
    const left = totalMs - (performance.now() - started)
    const input: BotInput = { ...run.input, tools, steps: draft.parts }
    const events = withDeadlines(
      provider.bot.reply(input, abort.signal),
      { totalMs: left, firstChunkMs, wholeMs: totalMs },
      (reason) => abort.abort(reason),
    )
    actions = (await relay(events, draft, { ...relayTo, nameOf })) ?? actions
    const pending = draft.pendingCalls()
    if (!pending.length || abort.signal.aborted) return actions
    if (step >= plan.maxSteps) {
      const error = `Not run: the reply reached its limit of ${plan.maxSteps} model calls`
      for (const at of pending) publishTool(relayTo, draft.settle(at, { error }, 0))
      draft.endWith('max_steps')
      return actions
    }
    const signal = AbortSignal.any([abort.signal, AbortSignal.timeout(Math.max(1, left))])
    const waitStart = performance.now()
    let waited = 0
    const wait = async (call: ToolCallPart, kind: 'result' | 'approval') => {
      const t0 = performance.now()
      const answer = await run.answers.wait(context.conversationId, call.toolCallId, kind, run.waitMs, abort.signal)
      waited = Math.max(waited, performance.now() - t0)
      return answer
    }
    await Promise.all(
      pending.map(async (at) => {
        const call = draft.parts[at] as ToolCallPart
        const def = byName.get(call.toolName)
        if (def?.approval) {
          publishTool(relayTo, draft.askApproval(at))
          const answer = await wait(call, 'approval')
          const approved = answer?.kind === 'approval' && answer.approved
          const reason =
            answer?.kind === 'approval' ? answer.reason : abort.signal.aborted ? 'stopped' : 'no answer in time'
          publishTool(relayTo, draft.answerApproval(at, approved, reason))
          if (!approved) return
        }
        const later = run.takeCall?.(context.userId) ?? 0
        if (later > 0) {
          const error = `Too many tool calls (RATE_LIMIT_TOOL_CALLS); try again in ${later} s`
          return publishTool(relayTo, draft.settle(at, { error }, 0))
        }
        const result = def?.client
          ? await clientResult(call, await wait(call, 'result'))
          : await callOne(toolbox, def, call, draft, signal, context)
        publishTool(relayTo, draft.settle(at, result, result.durationMs))
      }),
    )
    // Time waiting for a person is not the model's time: it does not count against the deadline.
    started += Math.min(waited, performance.now() - waitStart)
    if (abort.signal.aborted) return actions
    if (performance.now() - started >= totalMs)
      throw new BotError('bot_timeout', 'The reply took too long (tools included)')
  }
}

/** A client tool's answer as a result: its output, its error, or the reason there is none. */
function clientResult(call: ToolCallPart, answer: ToolAnswer | null): ToolRun {
  const durationMs = 0
  if (answer?.kind !== 'result') return { error: `The client did not answer the call of ${call.toolName}`, durationMs }
  if (typeof answer.error === 'string') return { error: answer.error.slice(0, 4000), durationMs }
  return { output: answer.output ?? null, durationMs }
}

function callOne(
  toolbox: Toolbox | null,
  def: ToolDef | undefined,
  call: ToolCallPart,
  draft: ReplyDraft,
  signal: AbortSignal,
  context: { conversationId: string; userId: string },
): Promise<ToolRun> | ToolRun {
  if (!toolbox || !def) return { error: `There is no tool "${call.toolName}"`, durationMs: 0 }
  if (draft.isInvalid(call.toolCallId)) return { error: 'The arguments are not valid JSON', durationMs: 0 }
  return toolbox.run(def, call.input, signal, context)
}
