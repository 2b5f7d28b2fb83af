import { readAll, sign } from '../bots/webhook'
import type { HttpTool } from '../config-file'
import { VERSION } from '../version'
import type { ToolContext, ToolDef, ToolResult, ToolSource } from './tool'
import { wireNameOf } from './tool'

/** The longest answer of an HTTP tool read, in bytes. */
export const MAX_TOOL_ANSWER_BYTES = 1 << 20

/**
 * The operator's HTTP tools: a call POSTs `{tool, arguments, conversation_id, user_id}` as JSON,
 * signed with the tool's secret like the webhook bot (`X-Parley-Signature: sha256=<hex HMAC>`),
 * within the tool's deadline. A 2xx JSON answer is the output (`{output}` when it has that key,
 * else the whole answer); `{error}` or another status is an error the model sees.
 */
export class HttpTools implements ToolSource {
  readonly name = 'http'
  readonly state = 'ready' as const
  private readonly defs: ToolDef[]
  private readonly byName: Map<string, HttpTool>

  constructor(tools: readonly HttpTool[]) {
    this.defs = tools.map((t) => ({
      name: t.name,
      source: 'http',
      wireName: wireNameOf(t.name),
      description: t.description,
      inputSchema: t.parameters,
      approval: t.approval,
      timeoutMs: t.timeoutMs,
    }))
    this.byName = new Map(tools.map((t) => [t.name, t]))
  }

  tools(): readonly ToolDef[] {
    return this.defs
  }

  async call(tool: ToolDef, input: unknown, signal: AbortSignal, context: ToolContext): Promise<ToolResult> {
    const spec = this.byName.get(tool.name)
    if (!spec) return { error: `No HTTP tool "${tool.name}"` }
    const host = new URL(spec.url).host
    const body = JSON.stringify({
      tool: spec.name,
      arguments: input,
      conversation_id: context.conversationId,
      user_id: context.userId,
    })
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': `parley/${VERSION}`,
    }
    if (spec.secret) headers['x-parley-signature'] = sign(body, spec.secret)
    const deadline = AbortSignal.timeout(spec.timeoutMs)
    try {
      const res = await fetch(spec.url, { method: 'POST', body, headers, signal: AbortSignal.any([signal, deadline]) })
      const text = await readAll(
        (res.body ?? new Blob([]).stream()) as ReadableStream<Uint8Array>,
        MAX_TOOL_ANSWER_BYTES,
      )
      let answer: unknown = text
      try {
        answer = text ? JSON.parse(text) : null
      } catch {
        // Not JSON: the text itself.
      }
      const field = (key: string) =>
        answer !== null && typeof answer === 'object' && key in answer
          ? (answer as Record<string, unknown>)[key]
          : undefined
      if (!res.ok)
        return { error: String(field('error') ?? `The tool at ${host} answered HTTP ${res.status}`).slice(0, 2000) }
      if (typeof field('error') === 'string') return { error: (field('error') as string).slice(0, 2000) }
      return { output: field('output') ?? answer }
    } catch (error) {
      if (signal.aborted) return { error: 'The call was cancelled' }
      if (deadline.aborted) return { error: `The tool at ${host} did not answer within ${spec.timeoutMs} ms` }
      const why = error instanceof Error ? error.message : String(error)
      return { error: `Could not call the tool at ${host}: ${why.slice(0, 300)}` }
    }
  }

  async close(): Promise<void> {}
}
