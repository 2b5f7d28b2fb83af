import type { HttpTool, McpServer, ParleyFile } from './config-file'
import { placeOf } from './config-file-read'
import { ConfigError } from './config-settings'

export type Tools = { mcpServers: readonly McpServer[]; httpTools: readonly HttpTool[] }

const DEFAULT_TOOL_MS = 30_000

/**
 * The config file's tool sources — MCP servers (stdio or Streamable HTTP) and HTTP tools — with
 * secrets resolved, and every assistant's `tools` checked against them: a name the file does not
 * define stops start-up naming the place. (Which tools an MCP server has is known only once it
 * is connected, so `server.tool` is checked for its server only.)
 */
export function resolveTools(
  file: ParleyFile | undefined,
  fileName: string,
  env: Record<string, string | undefined>,
): Tools {
  const fail = (at: readonly (string | number)[], problem: string): never => {
    throw new ConfigError(`${fileName}: ${placeOf(at)}: ${problem}`)
  }
  const mcpServers: McpServer[] = []
  for (const [name, spec] of Object.entries(file?.mcp_servers ?? {})) {
    const names = { ...spec.names }
    const common = { name, timeoutMs: spec.timeout_ms ?? DEFAULT_TOOL_MS, approval: spec.approval ?? false, names }
    if (spec.type === 'http') {
      if (!/^https?:\/\//.test(spec.url) || !URL.canParse(spec.url))
        fail(['mcp_servers', name, 'url'], 'expected an http:// or https:// URL')
      mcpServers.push({ ...common, type: 'http', url: spec.url, headers: { ...spec.headers } })
    } else {
      const { command, args = [], env: vars = {}, cwd } = spec
      mcpServers.push({ ...common, type: 'stdio', command, args: [...args], env: { ...vars }, cwd })
    }
  }
  // Loaded only for HTTP tools: most configurations declare none, and ajv costs RSS at start-up.
  let ajv: import('ajv').default | undefined
  const compile = (schema: object) => {
    ajv ??= new (require('ajv') as typeof import('ajv')).default({ strict: false })
    return ajv.compile(schema)
  }
  const httpTools: HttpTool[] = []
  for (const [name, spec] of Object.entries(file?.tools ?? {})) {
    const at = ['tools', name]
    if (mcpServers.some((s) => s.name === name)) fail(at, `"${name}" is also the name of an MCP server`)
    if (!/^https?:\/\//.test(spec.url) || !URL.canParse(spec.url))
      fail([...at, 'url'], 'expected an http:// or https:// URL')
    if (spec.parameters.type !== 'object') fail([...at, 'parameters'], 'expected a JSON Schema with "type": "object"')
    try {
      compile(spec.parameters)
    } catch (error) {
      fail([...at, 'parameters'], `not a valid JSON Schema (${(error as Error).message.slice(0, 200)})`)
    }
    if (spec.secret !== undefined && spec.secret_env !== undefined)
      fail([...at, 'secret_env'], 'give secret or secret_env, not both')
    const variable = spec.secret_env
    const secret = variable === undefined ? (spec.secret ?? '') : env[variable]
    if (secret === undefined || (variable !== undefined && !secret))
      fail([...at, 'secret_env'], `the environment variable ${variable} is not set`)
    httpTools.push({
      name,
      url: spec.url,
      description: spec.description,
      parameters: spec.parameters,
      secret: secret as string,
      timeoutMs: spec.timeout_ms ?? DEFAULT_TOOL_MS,
      approval: spec.approval ?? false,
    })
  }
  const servers = new Set(mcpServers.map((s) => s.name))
  const http = new Set([...httpTools.map((t) => t.name), ...mcpServers.flatMap((s) => Object.values(s.names))])
  for (const [i, a] of (file?.assistants ?? []).entries()) {
    for (const [j, ref] of (a.tools ?? []).entries()) {
      const dot = ref.indexOf('.')
      const known = dot === -1 ? http.has(ref) : servers.has(ref.slice(0, dot)) && ref.length > dot + 1
      if (known) continue
      const what = dot === -1 ? `no HTTP tool or renamed MCP tool "${ref}"` : `no MCP server "${ref.slice(0, dot)}"`
      fail(['assistants', i, 'tools', j], `${what} (tools are "name", "server.tool" or "server.*")`)
    }
  }
  return { mcpServers: Object.freeze(mcpServers), httpTools: Object.freeze(httpTools) }
}
