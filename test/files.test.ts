import { Database } from 'bun:sqlite'
import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDrizzleStore } from '../src/storage/drizzle-store'
import { openMysql } from '../src/storage/mysql-driver'
import { openPostgres } from '../src/storage/postgres-driver'
import { openSqlite } from '../src/storage/sqlite-driver'
import { contractOf } from './contract'
import { createMysqlDatabase, createPostgresDatabase, needs } from './databases'
import { type TestApp, testApp } from './helpers'
import { API_KEY, SECRET, userToken } from './tokens'

const dir = mkdtempSync(join(tmpdir(), 'parley-files-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
/** A PNG signature followed by every byte value, 0x00 to 0xFF. */
const everyByte = new Uint8Array([...PNG, ...Array.from({ length: 256 }, (_, i) => i)])

/** Sends a request through the app; the answer is checked against the OpenAPI document. */
async function send(t: TestApp, path: string, init: RequestInit = {}) {
  const res = await t.app.handle(new Request(`http://localhost${path}`, init))
  const bytes = new Uint8Array(await res.arrayBuffer())
  const text = new TextDecoder().decode(bytes)
  const doc = await (await t.app.handle(new Request('http://localhost/openapi.json'))).text()
  contractOf(doc).check(init.method ?? 'GET', path, { status: res.status, headers: res.headers, text })
  const json = res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null
  return { status: res.status, headers: res.headers, bytes, body: json }
}

const formOf = (fields: Record<string, string | File>) => {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  return form
}
const upload = (t: TestApp, fields: Record<string, string | File>, headers: Record<string, string> = {}) =>
  send(t, '/files', { method: 'POST', body: formOf(fields), headers })

test('an upload is served back byte for byte, with its type, length, disposition and caching', async () => {
  await using t = testApp()
  const up = await upload(t, { user_id: 'u1', file: new File([everyByte], 'chart "q1" é.png', { type: 'image/png' }) })
  expect(up.status).toBe(201)
  expect(up.body).toEqual({
    id: expect.any(String),
    url: `/files/${up.body.id}`,
    media_type: 'image/png',
    size: everyByte.length,
    filename: 'chart "q1" é.png',
  })
  const got = await send(t, up.body.url)
  expect(got.status).toBe(200)
  expect(got.bytes).toEqual(everyByte)
  expect(got.headers.get('content-type')).toBe('image/png')
  expect(got.headers.get('content-length')).toBe(String(everyByte.length))
  expect(got.headers.get('x-content-type-options')).toBe('nosniff')
  expect(got.headers.get('content-disposition')).toBe(
    `inline; filename="chart _q1_ _.png"; filename*=UTF-8''chart%20%22q1%22%20%C3%A9.png`,
  )
  expect(got.headers.get('cache-control')).toStartWith('private, max-age=')
  // Anything but an image downloads; a path sent as the name keeps its last segment only.
  const csv = await upload(t, {
    user_id: 'u1',
    file: new File(['a,b\n1,2\n'], 'C:\\fakepath\\x.csv', { type: 'text/csv' }),
  })
  expect(csv.body.filename).toBe('x.csv')
  const served = await send(t, csv.body.url)
  expect(served.headers.get('content-disposition')).toBe(`attachment; filename="x.csv"; filename*=UTF-8''x.csv`)
  expect(new TextDecoder().decode(served.bytes)).toBe('a,b\n1,2\n')
})

test("a user's file is theirs: another user gets 404 exactly like an unknown id; an API key reads any", async () => {
  await using t = testApp({ AUTH_MODE: 'jwt', JWT_SECRET: SECRET, API_KEYS: API_KEY })
  const alice = { authorization: `Bearer ${await userToken('alice')}` }
  const bob = { authorization: `Bearer ${await userToken('bob')}` }
  const file = new File([everyByte], 'a.png', { type: 'image/png' })
  const up = await upload(t, { file }, alice)
  expect(up.status).toBe(201)
  expect((await send(t, up.body.url, { headers: alice })).bytes).toEqual(everyByte)
  const unknown = await send(t, `/files/${Bun.randomUUIDv7()}`, { headers: bob })
  const theirs = await send(t, up.body.url, { headers: bob })
  expect(unknown.status).toBe(404)
  expect(theirs.body).toEqual(unknown.body)
  expect(theirs.body).toEqual({ detail: 'File not found', code: 'not_found' })
  expect((await send(t, up.body.url)).status).toBe(401)
  expect((await send(t, up.body.url, { headers: { 'x-api-key': API_KEY } })).bytes).toEqual(everyByte)
  // A user uploads only for themselves; a caller acting for every user names the owner.
  expect((await upload(t, { file, user_id: 'bob' }, alice)).status).toBe(403)
  expect((await upload(t, { file, user_id: 'alice' }, alice)).status).toBe(201)
  expect((await upload(t, { file }, { 'x-api-key': API_KEY })).body.detail[0].loc).toEqual(['body', 'user_id'])
  const forBob = await upload(t, { file, user_id: 'bob' }, { 'x-api-key': API_KEY })
  expect((await send(t, forBob.body.url, { headers: bob })).status).toBe(200)
  expect((await upload(t, { file })).status).toBe(401)
})

describe('uploads past FILES_MAX_BYTES get 413 before they are read whole', () => {
  const env = { FILES_MAX_BYTES: '1024' }
  const multipart = { 'content-type': 'multipart/form-data; boundary=b' }
  /** An endless body, counting the bytes it gave. */
  const endless = () => {
    const counter = { sent: 0 }
    const body = new ReadableStream({
      pull(controller) {
        counter.sent += 4096
        controller.enqueue(new Uint8Array(4096))
      },
    })
    return { body, counter }
  }
  test('by Content-Length, without reading the body', async () => {
    await using t = testApp(env)
    const { body, counter } = endless()
    const res = await send(t, '/files', { method: 'POST', body, headers: { ...multipart, 'content-length': '999999' } })
    expect(res.status).toBe(413)
    expect(res.body).toEqual({ detail: 'Files are limited to 1024 bytes (FILES_MAX_BYTES)', code: 'payload_too_large' })
    expect(counter.sent).toBeLessThanOrEqual(4096)
  })
  test('chunked, with no Content-Length: given up once past the limit', async () => {
    await using t = testApp(env)
    const { body, counter } = endless()
    const res = await send(t, '/files', { method: 'POST', body, headers: multipart })
    expect(res.status).toBe(413)
    expect(counter.sent).toBeLessThan(256 * 1024) // the limit plus the form's slack, not the endless stream
  })
  test('a file over the limit inside a body that is not', async () => {
    await using t = testApp(env)
    const of = (n: number) =>
      upload(t, { user_id: 'u', file: new File(['x'.repeat(n)], 'a.txt', { type: 'text/plain' }) })
    expect((await of(1025)).status).toBe(413)
    expect((await of(1024)).status).toBe(201)
  })
})

test('415 for a type off the allow-list, bytes that are not their declared type, or a body that is not a form', async () => {
  await using t = testApp({ FILES_TYPES: 'image/png,image/jpeg,text/plain' })
  const as = (bytes: string | Uint8Array, type: string) =>
    upload(t, { user_id: 'u', file: new File([bytes], 'f', { type }) })
  expect((await as('<svg onload="alert(1)"/>', 'image/svg+xml')).status).toBe(415)
  expect((await as('%PDF-1.7', 'application/pdf')).status).toBe(415) // not on this list
  const fake = await as('<html><script>alert(1)</script>', 'image/png')
  expect(fake.status).toBe(415)
  expect(fake.body.code).toBe('unsupported_media_type')
  expect((await as(new Uint8Array(PNG), 'image/jpeg')).status).toBe(415)
  expect((await as(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), 'image/jpeg')).status).toBe(201)
  expect((await as('plain', 'text/plain; charset=utf-8')).body.media_type).toBe('text/plain')
  // The part's declared type counts, not its filename's extension.
  const named = await upload(t, {
    user_id: 'u',
    file: new File([new Uint8Array(PNG)], 'notes.txt', { type: 'image/png' }),
  })
  expect(named.body.media_type).toBe('image/png')
  const json = await send(t, '/files', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })
  expect(json.status).toBe(415)
})

test('422 naming body.file when the field is missing, empty or not a file; 400 for a malformed form', async () => {
  await using t = testApp()
  const loc = async (fields: Record<string, string | File>) => {
    const res = await upload(t, { user_id: 'u', ...fields })
    expect(res.status).toBe(422)
    return res.body.detail[0].loc
  }
  expect(await loc({})).toEqual(['body', 'file'])
  expect(await loc({ file: new File([], 'empty.png', { type: 'image/png' }) })).toEqual(['body', 'file'])
  expect(await loc({ file: 'not a file part' })).toEqual(['body', 'file'])
  for (const body of ['', 'garbage', '--b\r\nContent-Disposition: form-data; name="file"\r\n\r\nx']) {
    const res = await send(t, '/files', {
      method: 'POST',
      body,
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
    })
    expect(res.status).toBe(400)
    expect(res.body.code).toBe('bad_request')
  }
})

describe('a data: URL in a posted file part', () => {
  const path = join(dir, 'data-urls.db')
  const files = () => {
    using db = new Database(path, { readonly: true })
    return (db.query('SELECT count(*) AS n FROM files').get() as { n: number }).n
  }
  const dataUrl = (bytes: Uint8Array, type = 'image/png') =>
    `data:${type};base64,${Buffer.from(bytes).toString('base64')}`
  const part = (url: string, mediaType = 'image/png') => ({ type: 'file', mediaType, url, filename: 'pic.png' })

  test('is stored as a file of the conversation owner, and the part names /files/{id}', async () => {
    await using t = testApp({ DATABASE_URL: `sqlite:///${path}`, BOT_PROVIDER: 'none' })
    const conv = (await t.call('POST', '/conversations/', { user_id: 'owner' })).body.id
    const posted = await t.call('POST', `/conversations/${conv}/messages`, {
      sender: 'user',
      parts: [{ type: 'text', text: 'look' }, part(dataUrl(everyByte))],
    })
    expect(posted.status).toBe(201)
    const [, file] = posted.body.parts
    expect(file).toEqual({
      type: 'file',
      mediaType: 'image/png',
      url: expect.stringMatching(/^\/files\//),
      filename: 'pic.png',
    })
    const served = await send(t, file.url)
    expect(served.bytes).toEqual(everyByte)
    expect((await t.store.getFile(file.url.slice('/files/'.length)))?.file.user_id).toBe('owner')
    // The message as read back names the file, not the data.
    const read = await t.call('GET', `/conversations/${conv}/messages`)
    expect(read.body.messages[0].parts[1].url).toBe(file.url)
  })

  test('is refused at body.parts.<i>.url (413, 415, 422), storing nothing', async () => {
    await using t = testApp({ DATABASE_URL: `sqlite:///${path}`, BOT_PROVIDER: 'none', FILES_MAX_BYTES: '300' })
    const conv = (await t.call('POST', '/conversations/', { user_id: 'owner' })).body.id
    const before = files()
    const cases: [unknown, number, (string | number)[]][] = [
      [part(dataUrl(new Uint8Array([...PNG, ...new Uint8Array(300)]))), 413, ['body', 'parts', 0, 'url']],
      [part(dataUrl(new TextEncoder().encode('<html>'), 'text/html'), 'text/html'), 415, ['body', 'parts', 0, 'url']],
      [part(dataUrl(new TextEncoder().encode('<html>'))), 415, ['body', 'parts', 0, 'url']],
      [part('data:image/png;base64,not base64!'), 422, ['body', 'parts', 0, 'url']],
      [part('data:image/png,%89PNG'), 422, ['body', 'parts', 0, 'url']],
      [part(dataUrl(everyByte), 'image/gif'), 422, ['body', 'parts', 0, 'mediaType']],
    ]
    for (const [p, status, loc] of cases) {
      const res = await t.call('POST', `/conversations/${conv}/messages`, { sender: 'user', parts: [p] })
      expect(res.status, JSON.stringify(loc)).toBe(status)
      expect(res.body.detail[0].loc).toEqual(loc)
    }
    expect(files()).toBe(before)
  })

  test("is not stored when the conversation is someone else's", async () => {
    await using t = testApp({ DATABASE_URL: `sqlite:///${path}`, AUTH_MODE: 'jwt', JWT_SECRET: SECRET })
    const alice = { authorization: `Bearer ${await userToken('alice')}` }
    const bob = { authorization: `Bearer ${await userToken('bob')}` }
    const conv = (await t.call('POST', '/conversations/', {}, alice)).body.id
    const before = files()
    const body = { sender: 'user', parts: [part(dataUrl(everyByte))] }
    expect((await t.call('POST', `/conversations/${conv}/messages`, body, bob)).status).toBe(404)
    expect(files()).toBe(before)
  })
})

// The same bytes through the Store on every dialect: every byte value, and a file larger than
// the slices MySQL/MariaDB receives it in.
const dialects: [string, () => Promise<{ store: ReturnType<typeof createDrizzleStore>; close(): Promise<void> }>][] = [
  [
    'SQLite',
    async () => {
      const driver = openSqlite({
        path: ':memory:',
        synchronous: 'NORMAL',
        migrationsFolder: join(import.meta.dir, '../drizzle/sqlite'),
      })
      return { store: createDrizzleStore(driver, { eventRetention: 10 }), close: () => driver.close() }
    },
  ],
]
for (const [name, create, open] of [
  ['PostgreSQL', createPostgresDatabase, openPostgres],
  ['MySQL', createMysqlDatabase, openMysql],
] as const) {
  if (!(await needs(name))) continue
  dialects.push([
    name,
    async () => {
      const db = await create()
      const folder = join(import.meta.dir, `../drizzle/${name === 'MySQL' ? 'mysql' : 'postgres'}`)
      const driver = await open({ url: db.url, poolSize: 2, migrationsFolder: folder })
      return {
        store: createDrizzleStore(driver, { eventRetention: 10 }),
        close: async () => {
          await driver.close()
          await db.drop()
        },
      }
    },
  ])
}

describe.each(dialects)('files in the database (%s)', (_name, open) => {
  test('putFile → getFile gives the same bytes, type, name and owner; deleteFile removes them', async () => {
    const { store, close } = await open()
    try {
      const big = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => (i * 7) % 256)
      for (const [data, filename] of [
        [everyByte, 'every-byte.png'],
        [big, null],
      ] as const) {
        const put = await store.putFile({ userId: 'u😀', mediaType: 'image/png', filename, data })
        const got = await store.getFile(put.id)
        expect(got?.file).toEqual(put)
        expect(put).toMatchObject({ user_id: 'u😀', media_type: 'image/png', filename, size: data.length })
        expect(Buffer.compare(Buffer.from(got?.data ?? []), Buffer.from(data))).toBe(0)
        expect(await store.deleteFile(put.id)).toBe(true)
        expect(await store.getFile(put.id)).toBeNull()
        expect(await store.deleteFile(put.id)).toBe(false)
      }
      expect(await store.getFile(Bun.randomUUIDv7())).toBeNull()
    } finally {
      await close()
    }
  }, 30_000)
})

test('DELETE /files/{id}: its owner or an API key removes it; anyone else gets the 404 of an unknown id', async () => {
  await using t = testApp({ AUTH_MODE: 'jwt', JWT_SECRET: SECRET, API_KEYS: API_KEY })
  const as = async (user: string) => ({ authorization: `Bearer ${await userToken(user)}` })
  const file = () => new File([everyByte], 'a.png', { type: 'image/png' })
  const mine = (await upload(t, { file: file() }, await as('alice'))).body.id
  const other = (await upload(t, { file: file() }, await as('alice'))).body.id
  const bob = await send(t, `/files/${mine}`, { method: 'DELETE', headers: await as('bob') })
  expect([bob.status, bob.body.code]).toEqual([404, 'not_found'])
  expect((await send(t, `/files/${mine}`, { method: 'DELETE', headers: await as('alice') })).status).toBe(204)
  expect((await send(t, `/files/${mine}`, { headers: await as('alice') })).status).toBe(404)
  expect((await send(t, `/files/${mine}`, { method: 'DELETE', headers: await as('alice') })).status).toBe(404)
  expect((await send(t, `/files/${other}`, { method: 'DELETE', headers: { 'x-api-key': API_KEY } })).status).toBe(204)
  expect(
    (await send(t, `/files/${crypto.randomUUID()}`, { method: 'DELETE', headers: { 'x-api-key': API_KEY } })).status,
  ).toBe(404)
})
