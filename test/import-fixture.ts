import { afterAll, beforeAll, expect } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../src/config'
import { openSqliteStorage } from '../src/storage/connect'
import { countRows, parley } from './transfer-files'

export const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 255])
const generation = {
  assistant_id: 'helper',
  model: 'm',
  finish_reason: 'stop',
  usage: { input_tokens: 4, output_tokens: 5, estimated: false },
  duration_ms: 1,
}

/**
 * An export to break line by line, for the import checks: 3 conversations of 4 messages (the
 * first one's 2 replies with a generation, so 2 usage rows), a file, an assistant, a quota.
 * `exported` is filled before the tests run; `importLines` imports into a fresh SQLite file.
 */
export function importFixture() {
  const dir = mkdtempSync(join(tmpdir(), 'parley-import-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const exported: string[] = []
  let file = 0

  beforeAll(async () => {
    const url = `sqlite:///${join(dir, 'source.db')}`
    const store = openSqliteStorage(loadConfig({}, { DATABASE_URL: url }))
    for (let c = 0; c < 3; c++) {
      const conv = await store.createConversation({ userId: `user-${c}`, title: `T${c}`, metadata: { c } })
      let last = ''
      for (let i = 0; i < 4; i++) {
        const m = await store.createMessage({
          conversationId: conv.id,
          sender: i % 2 ? 'ai' : 'user',
          content: `message ${i}`,
          metadata: { i },
          clientId: i === 0 ? `client-${c}` : undefined,
          replyTo: i % 2 ? last : undefined,
          ...(c === 0 && i % 2 && { generation: { ...generation, model: `m${i}` } }),
        })
        last = m?.message.id ?? ''
      }
    }
    await store.putFile({ userId: 'user-0', mediaType: 'image/png', filename: 'a.png', data: png })
    await store.createAssistant('helper', { name: 'Helper' })
    await store.setQuota('user-1', { day: 100 })
    await store.close()
    const { code, out } = await parley(['export'], url)
    expect(code).toBe(0)
    exported.push(...out.split('\n').filter(Boolean))
  })

  const records = () => exported.map((l) => JSON.parse(l))
  /** Index in the file (0-based) of the `k`-th line of `type` (negative: from the end). */
  const nth = (type: string, k: number) => {
    const at = records()
      .map((r, i) => (r.type === type ? i : -1))
      .filter((i) => i >= 0)
    return at.at(k) as number
  }

  /** Imports `lines` into a fresh SQLite file through the CLI. */
  async function importLines(lines: string[], env: Record<string, string> = {}) {
    const db = join(dir, `target-${file++}.db`)
    const path = `${db}.ndjson`
    await Bun.write(path, lines.map((l) => `${l}\n`).join(''))
    const run = await parley(['import', path], `sqlite:///${db}`, { env })
    return { ...run, db, conversations: countRows(db, 'conversations'), messages: countRows(db, 'messages') }
  }

  /** The export with the line at `index` changed by `patch` (which may return a raw line). */
  const patched = (index: number, patch: (r: any) => unknown) =>
    exported.map((l, i) => {
      if (i !== index) return l
      const changed = patch(JSON.parse(l))
      return typeof changed === 'string' ? changed : JSON.stringify(changed)
    })

  return { dir, exported, records, nth, importLines, patched }
}
