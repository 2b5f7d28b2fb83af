import Ajv, { type ValidateFunction } from 'ajv'
import type { Config } from '../config'
import type { Logger } from '../log'
import { HttpTools } from './http-tool'
import { McpConnection } from './mcp'
import type { ToolContext, ToolDef, ToolResult, ToolSource } from './tool'

/** The most of a tool's output kept and shown to the model, in characters of JSON. */
export const MAX_TOOL_OUTPUT_CHARS = 100_000

export type ToolRun = ToolResult & { durationMs: number }

/**
 * Every configured tool source, and the tools of an assistant: its `tools` entries resolved
 * (`name`, `server.tool`, `server.*`) against what the sources offer now. A call's arguments are
 * checked against the tool's JSON Schema before it is made; its output is capped.
 */
export class Toolbox {
  private readonly sources: ToolSource[]
  private readonly mcp: McpConnection[]
  private readonly ajv = new Ajv({ strict: false, allErrors: false })
  private readonly validators = new WeakMap<object, ValidateFunction>()

  constructor(
    config: Pick<Config, 'mcpServers' | 'httpTools'>,
    log: Logger,
    /** Told of every call's outcome (metrics). */
    private readonly observe?: (tool: string, ok: boolean) => void,
  ) {
    this.mcp = config.mcpServers.map((s) => new McpConnection(s, log))
    this.sources = [...this.mcp, new HttpTools(config.httpTools)]
  }

  /** Connects the MCP servers (in the background). */
  start(): void {
    for (const c of this.mcp) c.start()
  }

  /** The MCP servers' connection states, for readiness details and metrics. */
  states(): Record<string, { state: string; tools: number }> {
    return Object.fromEntries(this.mcp.map((c) => [c.name, { state: c.state, tools: c.tools().length }]))
  }

  /** The tools an assistant's `tools` entries name, now (a server's list changes as it reconnects). */
  resolve(refs: readonly string[] | undefined): ToolDef[] {
    if (!refs?.length) return []
    const found = new Map<string, ToolDef>()
    for (const ref of refs) {
      const dot = ref.indexOf('.')
      // A plain name: an HTTP tool, or an MCP tool the config renamed.
      const sources = dot === -1 ? this.sources : this.mcp.filter((c) => c.name === ref.slice(0, dot))
      for (const tool of sources.flatMap((s) => s.tools())) {
        if (ref === tool.name || (ref.endsWith('.*') && tool.name.startsWith(ref.slice(0, -1))))
          found.set(tool.name, tool)
      }
    }
    // Wire names must be unique in one request: a clash gets a numbered suffix.
    const seen = new Set<string>()
    return [...found.values()].map((tool) => {
      let wireName = tool.wireName
      for (let i = 2; seen.has(wireName); i++) wireName = `${tool.wireName.slice(0, 60)}_${i}`
      seen.add(wireName)
      return wireName === tool.wireName ? tool : { ...tool, wireName }
    })
  }

  /** Runs a call: arguments checked first, output capped. Never throws. */
  async run(tool: ToolDef, input: unknown, signal: AbortSignal, context: ToolContext): Promise<ToolRun> {
    const start = performance.now()
    const done = (result: ToolResult): ToolRun => {
      this.observe?.(tool.name, !('error' in result))
      return { ...result, durationMs: Math.round(performance.now() - start) }
    }
    const problem = this.check(tool, input)
    if (problem) return done({ error: `Invalid arguments for ${tool.name}: ${problem}` })
    const source = this.sources.find((s) => s.name === (tool.source ?? 'http'))
    if (!source) return done({ error: `No source for ${tool.name}` })
    const result = await source.call(tool, input, signal, context)
    if ('error' in result) return done({ error: result.error.slice(0, 4000) })
    const text = JSON.stringify(result.output) ?? 'null'
    if (text.length <= MAX_TOOL_OUTPUT_CHARS) return done(result)
    return done({ output: `${text.slice(0, MAX_TOOL_OUTPUT_CHARS)}… [cut at ${MAX_TOOL_OUTPUT_CHARS} characters]` })
  }

  private check(tool: ToolDef, input: unknown): string | null {
    let validate = this.validators.get(tool.inputSchema)
    if (!validate) {
      try {
        validate = this.ajv.compile(tool.inputSchema)
      } catch {
        return null // a server's schema ajv cannot compile: the server checks its own input
      }
      this.validators.set(tool.inputSchema, validate)
    }
    if (validate(input)) return null
    const first = validate.errors?.[0]
    return first ? `${first.instancePath || '/'} ${first.message ?? 'is invalid'}` : 'invalid'
  }

  async close(): Promise<void> {
    await Promise.all(this.sources.map((s) => s.close()))
  }
}
