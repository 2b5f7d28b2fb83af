import { Database } from 'bun:sqlite'
import { spawnInstance } from './cluster'

export type CrashResult = { acknowledged: number; missing: number; duplicates: number; gaps: number; stored: number }

/**
 * One crash round: 32 REST writers and 32 WebSocket writers load a server on a SQLite file;
 * it is killed with SIGKILL mid-load and started again on the same file. Every acknowledged
 * message (a 201, or its `new_message` echo) must be stored exactly once, and every
 * conversation's event log must run 1..last_seq without a gap.
 */
export async function crashRound(dbPath: string, loadMs = 1500): Promise<CrashResult> {
  const env = {
    DATABASE_URL: `sqlite:///${dbPath}`,
    BOT_PROVIDER: 'none',
    RATE_LIMIT_REQUESTS: '10000000',
    RATE_LIMIT_MESSAGES: '10000000',
    MAX_SOCKETS_PER_USER: '100000',
  }
  const server = await spawnInstance(env)
  const conversations: string[] = []
  for (let i = 0; i < 8; i++)
    conversations.push((await server.call('POST', '/conversations/', { user_id: `crash-${i}` })).body.id)
  const acked = new Set<string>()
  let running = true

  const rest = Array.from({ length: 32 }, async (_, w) => {
    for (let n = 0; running; n++) {
      const content = `rest-${w}-${n}-${Bun.randomUUIDv7()}`
      try {
        const res = await fetch(`${server.base}/conversations/${conversations[w % 8]}/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ sender: 'user', content, client_id: content.slice(0, 100) }),
        })
        if (res.status === 201) acked.add(((await res.json()) as { id: string }).id)
      } catch {
        return // the server is gone
      }
    }
  })
  const sockets = Array.from({ length: 32 }, async (_, w) => {
    const id = conversations[w % 8] as string
    const ws = new WebSocket(`${server.ws}/?conversation_id=${id}`)
    const waiting = new Map<string, () => void>()
    ws.onmessage = (e) => {
      const f = JSON.parse(String(e.data))
      if (f.event === 'new_message' && waiting.has(f.data.content)) {
        acked.add(f.data.id)
        waiting.get(f.data.content)?.()
      }
    }
    const closed = new Promise<void>((resolve) => {
      ws.onclose = () => resolve()
      ws.onerror = () => resolve()
    })
    await Promise.race([new Promise((r) => (ws.onopen = r)), closed])
    for (let n = 0; running && ws.readyState === WebSocket.OPEN; n++) {
      const content = `ws-${w}-${n}-${Bun.randomUUIDv7()}`
      const echoed = new Promise<void>((resolve) => waiting.set(content, resolve))
      ws.send(
        JSON.stringify({
          event: 'send_message',
          data: { conversationId: id, content, clientId: content.slice(0, 100) },
        }),
      )
      await Promise.race([echoed, closed])
    }
  })
  await Bun.sleep(loadMs)
  await server.stop('SIGKILL')
  running = false
  await Promise.all([...rest, ...sockets])

  const again = await spawnInstance(env)
  const ready = await again.call('GET', '/health/ready')
  await again.stop()
  if (ready.status !== 200) throw new Error('the restarted server is not ready')

  const db = new Database(dbPath, { readonly: true })
  try {
    const stored = new Set((db.query('SELECT id FROM messages').all() as { id: string }[]).map((r) => r.id))
    const missing = [...acked].filter((id) => !stored.has(id)).length
    const duplicates = (
      db
        .query(
          'SELECT count(*) AS n FROM (SELECT content FROM messages GROUP BY conversation_id, content HAVING count(*) > 1)',
        )
        .get() as { n: number }
    ).n
    let gaps = 0
    for (const id of conversations) {
      const { last } = db.query('SELECT last_seq AS last FROM conversations WHERE id = ?').get(id) as { last: number }
      // The log: appended messages are their own events (seq on the row), the rest are event rows.
      const seqs = (
        db
          .query(
            'SELECT seq FROM events WHERE conversation_id = ?1 UNION ALL SELECT seq FROM messages WHERE conversation_id = ?1 ORDER BY seq',
          )
          .all(id) as { seq: number }[]
      ).map((r) => r.seq)
      if (seqs.length !== last || seqs.some((s, i) => s !== i + 1)) gaps++
    }
    return { acknowledged: acked.size, missing, duplicates, gaps, stored: stored.size }
  } finally {
    db.close()
  }
}
