import { Database } from 'bun:sqlite'
import { expect, test } from 'bun:test'
import { desc, eq, getTableColumns, sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/bun-sqlite'
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { compileStatement } from '../src/storage/sqlite-statement'

// Columns with decoders (JSON text, booleans, timestamps) and plain ones, to compare the
// statement's path with Drizzle's own on every kind of value, NULL included.
const items = sqliteTable('items', {
  id: integer('id').primaryKey(),
  name: text('name'),
  data: text('data', { mode: 'json' }),
  done: integer('done', { mode: 'boolean' }),
  at: integer('at', { mode: 'timestamp_ms' }),
})

function setUp() {
  const client = new Database(':memory:', { strict: true })
  client.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, data TEXT, done INTEGER, at INTEGER)')
  const db = drizzle({ client })
  db.insert(items)
    .values([
      { id: 1, name: 'a', data: { x: [1, 2] }, done: true, at: new Date(1_700_000_000_123) },
      { id: 2, name: null, data: null, done: false, at: null },
      { id: 3, name: 'c"\'\\', data: 'text', done: null, at: new Date(0) },
    ])
    .run()
  return { client, db }
}

test("without a selection, or with decoders, selects are Drizzle's own prepared query, decoders and NULLs included", () => {
  const { client, db } = setUp()
  const query = () =>
    db
      .select()
      .from(items)
      .where(sql`${items.id} >= ${sql.placeholder('min')}`)
      .orderBy(desc(items.id))
      .limit(sql.placeholder('limit'))
  for (const compiled of [
    compileStatement(query(), client),
    compileStatement(query(), client, getTableColumns(items)),
  ]) {
    for (const values of [
      { min: 1, limit: 10 },
      { min: 2, limit: 1 },
      { min: 9, limit: 5 },
    ]) {
      expect(compiled.all(values)).toEqual(query().prepare().all(values))
    }
  }
})

test('a select of undecoded columns, its selection given, comes keyed from SQLite, equal to Drizzle', () => {
  const { client, db } = setUp()
  const selection = { id: items.id, label: items.name }
  const plain = () =>
    db
      .select(selection)
      .from(items)
      .where(sql`${items.id} >= ${sql.placeholder('min')}`)
      .orderBy(desc(items.id))
  const keyed = compileStatement(plain(), client, selection)
  expect(keyed).not.toHaveProperty('execute') // its own statement, not Drizzle's prepared query
  for (const min of [1, 3, 9]) expect(keyed.all({ min })).toEqual(plain().prepare().all({ min }))
  expect(keyed.all({ min: 2 })).toEqual([
    { id: 3, label: 'c"\'\\' },
    { id: 2, label: null },
  ])
  // A selection that is not what the query selects is not trusted: Drizzle maps it.
  const other = compileStatement(plain(), client, { id: items.id })
  expect(other.all({ min: 3 })).toEqual([{ id: 3, label: 'c"\'\\' }])
})

test('writes bind their placeholders (encoded where the column encodes) and return no rows', () => {
  const { client, db } = setUp()
  const insert = compileStatement(
    db.insert(items).values({
      id: sql.placeholder('id'),
      name: sql.placeholder('name'),
      data: sql.placeholder('data'),
      done: sql.placeholder('done'),
    }),
    client,
  )
  expect(insert.all({ id: 4, name: 'd', data: { nested: { ok: true } }, done: true })).toEqual([])
  const [row] = db.select().from(items).where(eq(items.id, 4)).all()
  expect(row).toEqual({ id: 4, name: 'd', data: { nested: { ok: true } }, done: true, at: null })
  expect(() => insert.all({ id: 5 })).toThrow(/No value for placeholder "name"/)
  const odd = ['it\'s "odd"\\ \n', '$', '{x}`'].join('')
  const named = compileStatement(
    db.insert(items).values({ id: sql.placeholder('id'), name: sql.placeholder(odd) }),
    client,
  )
  named.all({ id: 6, [odd]: 'ok' })
  expect(db.select({ name: items.name }).from(items).where(eq(items.id, 6)).all()).toEqual([{ name: 'ok' }])
  expect(() => named.all({ id: 7 })).toThrow(`No value for placeholder "${odd}"`)
})

test('selections it does not key fall back to Drizzle', () => {
  const { client, db } = setUp()
  const nested = db
    .select({ item: { id: items.id }, n: sql<number>`1` })
    .from(items)
    .where(eq(items.id, 1))
  const compiled = compileStatement(nested, client, { item: { id: items.id } })
  expect(compiled.all({})).toEqual([{ item: { id: 1 }, n: 1 }])
})
