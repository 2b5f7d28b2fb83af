import { Database } from 'bun:sqlite'
import { afterEach, beforeEach, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Rollback } from '../src/storage/driver'
import { GroupCommit } from '../src/storage/sqlite-group-commit'

let dir: string
let file: string
let client: Database
let commits: GroupCommit
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-group-'))
  file = join(dir, 'g.db')
  client = new Database(file, { create: true, strict: true })
  client.exec('PRAGMA journal_mode = WAL')
  client.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)')
  commits = new GroupCommit(client)
})
afterEach(() => {
  client.close()
  rmSync(dir, { recursive: true, force: true })
})

const insert = (v: string) => () => client.query('INSERT INTO t (v) VALUES (?)').run(v).lastInsertRowid
/** What another connection to the file sees: only what was committed. */
const committed = () => {
  const other = new Database(file, { readonly: true })
  try {
    return other
      .query<{ v: string }, []>('SELECT v FROM t ORDER BY id')
      .all()
      .map((r) => r.v)
  } finally {
    other.close()
  }
}

test('writes of one turn run in one transaction, in order, and are answered only after its COMMIT', async () => {
  const seen: string[] = []
  const writes = ['a', 'b', 'c'].map((v) =>
    commits
      .run(() => {
        // Inside one transaction: the earlier writes of the batch are there, not yet committed.
        seen.push(
          `${v}:${client.inTransaction}:${client.query<{ n: number }, []>('SELECT count(*) AS n FROM t').get()?.n}`,
        )
        return insert(v)()
      })
      .then((id) => {
        seen.push(`answered ${v}: ${committed().join('')}`)
        return id
      }),
  )
  expect(await Promise.all(writes)).toEqual([1, 2, 3])
  expect(seen).toEqual(['a:true:0', 'b:true:1', 'c:true:2', 'answered a: abc', 'answered b: abc', 'answered c: abc'])
})

test('a write that fails or rolls back is undone alone; the others of its batch commit', async () => {
  const outcomes = await Promise.allSettled([
    commits.run(insert('one')),
    commits.run(() => {
      insert('half')()
      insert('one')() // unique violation: 'half' is undone with it
    }),
    commits.run(() => {
      insert('kept back')()
      throw new Rollback('rolled back')
    }),
    commits.run(insert('two')),
  ])
  expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled'])
  expect(String((outcomes[1] as PromiseRejectedResult).reason)).toContain('UNIQUE')
  expect((outcomes[2] as PromiseFulfilledResult<unknown>).value).toBe('rolled back')
  expect(committed()).toEqual(['one', 'two'])
})

test('a write alone in its turn fails or rolls back as a transaction of its own', async () => {
  await expect(
    commits.run(() => {
      insert('x')()
      insert('x')()
    }),
  ).rejects.toThrow('UNIQUE')
  await commits.run(insert('y'))
  const value = await commits.run((): number => {
    insert('z')()
    throw new Rollback(7)
  })
  expect(value).toBe(7)
  expect(committed()).toEqual(['y'])
  expect(client.inTransaction).toBe(false)
})

test('when SQLite abandons the transaction, the write that caused it fails and the rest run again', async () => {
  let attempts = 0
  const outcomes = await Promise.allSettled([
    commits.run(() => {
      attempts++
      return insert('before')()
    }),
    commits.run(() => {
      insert('doomed')()
      client.exec('ROLLBACK') // as SQLite does on an I/O error or a full disk
      throw new Error('disk I/O error')
    }),
    commits.run(insert('after')),
  ])
  expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
  expect(attempts).toBe(2) // undone with the failed one, run again in the next batch
  expect(committed()).toEqual(['before', 'after'])
})

test('a failed BEGIN fails the batch and stores nothing; the connection stays usable', async () => {
  const other = new Database(file)
  other.exec('PRAGMA busy_timeout = 0')
  client.exec('PRAGMA busy_timeout = 0')
  other.exec('BEGIN IMMEDIATE') // another process holds the write lock
  const outcomes = await Promise.allSettled([commits.run(insert('p')), commits.run(insert('q'))])
  other.exec('ROLLBACK')
  other.close()
  expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected'])
  expect(await commits.run(insert('r'))).toBe(1)
  expect(committed()).toEqual(['r'])
})

test('drain runs what is queued at once (before the connection closes)', () => {
  let ran = false
  void commits.run(() => {
    ran = true
  })
  commits.drain()
  expect(ran).toBe(true)
})
