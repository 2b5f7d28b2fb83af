/** A tool the model may call, as an assistant is given it. */
export type ToolDef = {
  /** `server.tool` for an MCP server's (or the name the config maps it to), the HTTP tool's name otherwise. */
  name: string
  /** Where it comes from: the MCP server's name, or `http`; and its name there. */
  source?: string
  remoteName?: string
  /** The name the model sees: `[A-Za-z0-9_-]{1,64}` (OpenAI's rule for function names). */
  wireName: string
  description: string
  /** JSON Schema of the arguments (an object). */
  inputSchema: Record<string, unknown>
  /** Calls wait for a user's approval. */
  approval: boolean
  timeoutMs: number
  /** Declared by the front-end: the client runs it and posts the result. */
  client?: boolean
}

/** What a call produced: its output, or an error the model sees as the result. */
export type ToolResult = { output: unknown } | { error: string }

/** Who a call is made for, given to HTTP tools; never configuration. */
export type ToolContext = { conversationId: string; userId: string }

/** A place tools come from (an MCP server, the HTTP tools), with its connection state. */
export interface ToolSource {
  readonly name: string
  /** The tools it offers now. */
  tools(): readonly ToolDef[]
  /** Runs one; never throws: failures are results. Aborting `signal` cancels the call. */
  call(tool: ToolDef, input: unknown, signal: AbortSignal, context: ToolContext): Promise<ToolResult>
  readonly state: 'connecting' | 'ready' | 'down'
  close(): Promise<void>
}

/** A name fit for the model: other characters become `_`, at most 64. */
export const wireNameOf = (name: string) => name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64)
