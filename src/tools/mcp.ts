import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { McpError, type Tool } from '@modelcontextprotocol/sdk/types.js'
import type { McpServer } from '../config-file'
import type { Logger } from '../log'
import { VERSION } from '../version'
import { type ToolDef, type ToolResult, type ToolSource, wireNameOf } from './tool'

const CONNECT_TIMEOUT_MS = 10_000
/** At most this many tools are taken from one server (pages of tools/list). */
const MAX_TOOLS = 256
const backoff = (attempt: number) => Math.min(30_000, 500 * 2 ** attempt) * (0.75 + Math.random() / 2)

/**
 * One MCP server through the official SDK client: connected at start and kept connected —
 * restarted with backoff when the process dies or the connection fails — with its tools from
 * `tools/list`, refreshed on `notifications/tools/list_changed`. Its tools are `<server>.<tool>`.
 */
export class McpConnection implements ToolSource {
  state: 'connecting' | 'ready' | 'down' = 'connecting'
  private client: Client | null = null
  private list: ToolDef[] = []
  private closed = false
  private wake: (() => void) | null = null

  constructor(
    private readonly spec: McpServer,
    private readonly log: Logger,
  ) {}

  get name(): string {
    return this.spec.name
  }

  tools(): readonly ToolDef[] {
    return this.list
  }

  /** Connects in the background, and reconnects whenever the connection is lost. */
  start(): void {
    void this.run()
  }

  private async run(): Promise<void> {
    for (let attempt = 0; !this.closed; ) {
      const client = new Client(
        { name: 'parley', version: VERSION },
        { listChanged: { tools: { onChanged: (error, tools) => !error && tools && this.take(tools) } } },
      )
      const lost = new Promise<void>((resolve) => {
        client.onclose = () => resolve()
        this.wake = resolve
      })
      try {
        await client.connect(this.transport(), { timeout: CONNECT_TIMEOUT_MS })
        this.take(await this.listAll(client))
        this.client = client
        this.state = 'ready'
        attempt = 0
        this.log.info('mcp server connected', { server: this.name, tools: this.list.length })
        await lost
        if (!this.closed) this.log.warn('mcp server connection lost', { server: this.name })
      } catch (error) {
        this.log.warn('mcp server unavailable', { server: this.name, err: error })
      }
      this.client = null
      this.state = 'down'
      await client.close().catch(() => {})
      if (this.closed) return
      await new Promise<void>((resolve) => {
        this.wake = resolve
        setTimeout(resolve, backoff(attempt++))
      })
    }
  }

  private transport() {
    const s = this.spec
    if (s.type === 'http')
      return new StreamableHTTPClientTransport(new URL(s.url), { requestInit: { headers: s.headers } })
    return new StdioClientTransport({
      command: s.command,
      args: s.args,
      env: { ...getDefaultEnvironment(), ...s.env },
      ...(s.cwd ? { cwd: s.cwd } : {}),
      stderr: 'ignore',
    })
  }

  private async listAll(client: Client): Promise<Tool[]> {
    const all: Tool[] = []
    let cursor: string | undefined
    do {
      const page = await client.listTools(cursor ? { cursor } : {}, { timeout: CONNECT_TIMEOUT_MS })
      all.push(...page.tools)
      cursor = page.nextCursor
    } while (cursor && all.length < MAX_TOOLS)
    return all.slice(0, MAX_TOOLS)
  }

  private take(tools: Tool[]): void {
    this.list = tools.map((t) => {
      // A name the config maps it to, else <server>.<tool>.
      const name = this.spec.names[t.name] ?? `${this.name}.${t.name}`
      return {
        name,
        source: this.name,
        remoteName: t.name,
        wireName: wireNameOf(name.replace('.', '__')),
        description: (t.description ?? t.title ?? t.name).slice(0, 4096),
        inputSchema: t.inputSchema as Record<string, unknown>,
        approval: this.spec.approval,
        timeoutMs: this.spec.timeoutMs,
      }
    })
  }

  async call(tool: ToolDef, input: unknown, signal: AbortSignal): Promise<ToolResult> {
    const client = this.client
    if (!client) return { error: `The MCP server "${this.name}" is not connected; try again later` }
    const name = tool.remoteName ?? tool.name.slice(this.name.length + 1)
    try {
      // Aborting sends notifications/cancelled for the request.
      const result = await client.callTool({ name, arguments: input as Record<string, unknown> }, undefined, {
        signal,
        timeout: tool.timeoutMs,
      })
      const content = Array.isArray(result.content) ? result.content : []
      const texts = content.filter((c) => c.type === 'text').map((c) => (c as { text: string }).text)
      if (result.isError) return { error: texts.join('\n') || 'The tool reported an error' }
      if (result.structuredContent !== undefined) return { output: result.structuredContent }
      return { output: texts.length === content.length ? texts.join('\n') : content }
    } catch (error) {
      if (signal.aborted) return { error: 'The call was cancelled' }
      // Not an answer of the server (an McpError) but a broken connection: start over.
      if (!(error instanceof McpError)) void client.close().catch(() => {})
      const message = error instanceof Error ? error.message : String(error)
      return { error: `The MCP server "${this.name}" failed: ${message.slice(0, 500)}` }
    }
  }

  async close(): Promise<void> {
    this.closed = true
    this.wake?.()
    await this.client?.close().catch(() => {})
  }
}
