import { join } from 'node:path'
import { writeConfig } from './assistant-helpers'
import type { fakeOpenAI } from './fake-openai'
import { liveServer } from './live'

export const FIXTURE = join(import.meta.dir, 'fixtures', 'mcp-server.ts')

/** The fixture MCP server over stdio, as a config entry (its clock reads 0: 00:00 UTC). */
export const stdioClock = (extra: Record<string, unknown> = {}) => ({
  type: 'stdio',
  command: process.execPath,
  args: [FIXTURE],
  ...extra,
  env: { CLOCK_NOW: '0', ...(extra.env as Record<string, string> | undefined) },
})

type Fake = Awaited<ReturnType<typeof fakeOpenAI>>
type Live = Awaited<ReturnType<typeof liveServer>>

/** Resolves once every MCP server of the live server is connected (10 s at most). */
export async function untilConnected(server: Live) {
  const deadline = Date.now() + 10_000
  const ready = () => Object.values(server.deps.toolbox?.states() ?? {}).every((s) => s.state === 'ready')
  while (!ready() && Date.now() < deadline) await Bun.sleep(20)
}

/**
 * A live server whose config file has the provider `llm` on the fake OpenAI server, with these
 * MCP servers, tools and assistants; started once its MCP servers are connected.
 */
export async function toolServer(fake: Fake, config: Record<string, unknown>, env: Record<string, string> = {}) {
  const file = writeConfig({ providers: { llm: { type: 'openai', base_url: fake.url, model: 'm' } }, ...config })
  const server = await liveServer({ PARLEY_CONFIG: file, BOT_PROVIDER: 'none', ...env })
  await untilConnected(server)
  return server
}

/** One assistant `a` whose only tool, the fixture's clock, needs approval for every call. */
export const GUARDED = {
  mcp_servers: { guarded: stdioClock({ approval: true }) },
  assistants: [{ id: 'a', name: 'A', provider: 'llm', tools: ['guarded.now'] }],
}
