import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A webhook receiver on 127.0.0.1 answering JSON with a fixed usage, recording each body. */
export function webhookReceiver() {
  const bodies: any[] = []
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(req) {
      bodies.push(await req.json())
      return Response.json({
        content: 'From the flow.',
        usage: { input_tokens: 5, output_tokens: 7 },
        finish_reason: 'stop',
        model: 'flow-1',
      })
    },
  })
  return { url: `http://127.0.0.1:${server.port}/hook`, bodies, stop: () => server.stop(true) }
}

/** The config file of an operator with three assistants on two OpenAI-compatible servers and a webhook. */
export function threeAssistants(hosted: string, local: string, hook: string) {
  return {
    providers: {
      hosted: { type: 'openai', base_url: hosted, api_key_env: 'HOSTED_KEY', model: 'gpt-fast' },
      local: { type: 'openai', base_url: local, model: 'llama-local', concurrency: 1 },
      flow: { type: 'webhook', url: hook, secret: 'flow-secret' },
    },
    assistants: [
      {
        id: 'support',
        name: 'Support',
        provider: 'hosted',
        system_prompt: 'You are Support.',
        temperature: 0.2,
        max_tokens: 300,
        greeting: 'Hi! How can I help?',
        suggestions: ['Track my order'],
      },
      {
        id: 'coder',
        name: 'Coder',
        provider: 'local',
        model: 'qwen-coder',
        system_prompt: 'You write code.',
        temperature: 0.7,
      },
      { id: 'custom', name: 'Custom flow', provider: 'flow', metadata: { team: 'ops' } },
    ],
    default_assistant: 'support',
  }
}

export function writeConfig(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'parley-assistants-')), 'parley.json')
  writeFileSync(path, JSON.stringify(content, null, 2))
  return path
}

/** Polls until the conversation's active branch has `count` messages; returns them, oldest first. */
export async function messagesOf(call: (m: string, p: string, b?: unknown) => Promise<any>, id: string, count = 2) {
  const deadline = Date.now() + 5000
  for (;;) {
    const page = await call('GET', `/conversations/${id}/messages?size=50`)
    // Pages are newest first: oldest first here, as the conversation reads.
    if (page.body.messages.length >= count || Date.now() > deadline) return page.body.messages.toReversed()
    await Bun.sleep(20)
  }
}
