import { Database } from 'bun:sqlite'
import { join } from 'node:path'

/** Export files and the `parley export|import` CLI, for the transfer tests and the import bench. */
export const MAIN = join(import.meta.dir, '../src/main.ts')

/** Runs the real CLI; never throws on a failing exit code, so tests can check it. */
export async function parley(
  args: string[],
  databaseUrl: string,
  options: { env?: Record<string, string>; stdin?: string; main?: string } = {},
) {
  const proc = Bun.spawn([process.execPath, options.main ?? MAIN, ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'error', ...options.env },
    stdin: options.stdin === undefined ? 'ignore' : new Blob([options.stdin]),
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [code, out, err] = await Promise.all([
    proc.exited,
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ])
  return { code, out, err }
}

/** Rows in a SQLite file, read through a connection of its own (the file is closed after). */
export function countRows(
  file: string,
  table: 'conversations' | 'messages' | 'files' | 'assistants' | 'quotas' | 'usage',
): number {
  using db = new Database(file, { readonly: true })
  return (db.query(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
}

const uuid = () => Bun.randomUUIDv7()
const stamp = (ms: number) => new Date(ms).toISOString()

/**
 * A valid export of `conversations` × `perConversation` messages, line by line (no "\n").
 * `legacy` leaves out the header and end lines, as exports before format 2 did.
 */
export function* exportLines(conversations: number, perConversation: number, legacy = false): Generator<string> {
  if (!legacy) yield JSON.stringify({ format: 2, type: 'header' })
  const start = Date.UTC(2026, 0, 1)
  for (let c = 0; c < conversations; c++) {
    const id = uuid()
    const at = stamp(start + c)
    yield JSON.stringify({
      type: 'conversation',
      id,
      userId: `user-${c}`,
      title: `Conversation ${c}`,
      metadata: { c },
      createdAt: at,
      updatedAt: at,
      messageCount: perConversation,
      lastSeq: perConversation,
    })
    for (let i = 0; i < perConversation; i++) {
      const when = stamp(start + c + i)
      yield JSON.stringify({
        type: 'message',
        id: uuid(),
        conversationId: id,
        seq: i + 1,
        sender: i % 2 ? 'ai' : 'user',
        content: `message ${i} of conversation ${c}: ${'lorem ipsum '.repeat(8)}`,
        metadata: {},
        clientId: null,
        replyTo: null,
        createdAt: when,
        updatedAt: when,
      })
    }
  }
  if (!legacy) yield JSON.stringify({ conversations, messages: conversations * perConversation, type: 'end' })
}

/** Writes exportLines(…) to `file`, streaming (a 100k-message file is ~30 MB). */
export async function writeExport(file: string, conversations: number, perConversation: number, legacy = false) {
  const sink = Bun.file(file).writer()
  let n = 0
  for (const line of exportLines(conversations, perConversation, legacy)) {
    sink.write(`${line}\n`)
    if (++n % 5000 === 0) await sink.flush()
  }
  await sink.end()
}
