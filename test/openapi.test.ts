import { expect, test } from 'bun:test'
import { testApp } from './helpers'

test('the OpenAPI document describes every route with a summary, a tag and its responses', async () => {
  await using t = testApp()
  const res = await t.call('GET', '/openapi.json')
  expect(res.status).toBe(200)
  const doc = res.body
  expect(doc.openapi).toMatch(/^3\./)
  expect(doc.info.title).toBe('Parley')
  const expected = [
    ['post', '/conversations/'],
    ['get', '/conversations/'],
    ['get', '/conversations/{id}'],
    ['patch', '/conversations/{id}'],
    ['delete', '/conversations/{id}'],
    ['get', '/conversations/{id}/messages/'],
    ['post', '/conversations/{id}/messages/'],
    ['put', '/conversations/{id}/messages/{message_id}'],
    ['delete', '/conversations/{id}/messages/{message_id}'],
    ['post', '/conversations/{id}/stop'],
    ['post', '/conversations/{id}/messages/{message_id}/regenerate'],
    ['get', '/health/'],
    ['get', '/health/check'],
    ['get', '/health/ready'],
  ]
  for (const [method, path] of expected) {
    const op = doc.paths[path as string]?.[method as string]
    expect(op, `${method} ${path}`).toBeDefined()
    expect(op.summary).toBeTruthy()
    expect(op.tags.length).toBeGreaterThan(0)
    expect(Object.keys(op.responses).length).toBeGreaterThan(0)
  }
  const get = doc.paths['/conversations/{id}'].get
  expect(Object.keys(get.responses)).toContain('404')
  // Response bodies are described with their schemas, and where a stream can answer, as SSE too.
  const created = doc.paths['/conversations/{id}/messages/'].post.responses['201']
  expect(Object.keys(created.content['application/json'].schema.properties)).toContain('reply_to')
  expect(created.content['text/event-stream']).toBeDefined()
  expect(get.responses['404'].content['application/json'].schema.properties.code).toBeDefined()
  expect(doc.paths['/conversations/{id}'].delete.responses['204'].content).toBeUndefined()
  // Query parameters are documented as the integers they are, next to the path's.
  const list = doc.paths['/conversations/{id}/messages/'].get.parameters
  expect(list.map((p: { in: string; name: string }) => `${p.in}:${p.name}`)).toEqual([
    'path:id',
    'query:page',
    'query:size',
    'query:before',
    'query:limit',
  ])
  expect(list[2]).toMatchObject({ required: false, schema: { type: 'integer', minimum: 1, maximum: 100 } })
  expect(doc.paths['/conversations/'].get.parameters[1]).toMatchObject({ name: 'limit', schema: { type: 'integer' } })
})

test('/docs serves the docs page', async () => {
  await using t = testApp()
  const res = await t.call('GET', '/docs')
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toContain('text/html')
  expect(res.text).toContain('data-url="openapi.json"')
  // Everything the page needs comes from this server: no CDN script, no web fonts.
  expect(res.text).toContain('<script src="/docs/scalar.js"')
  expect(res.text).not.toMatch(/https?:\/\//)
  expect(res.text).toContain('"withDefaultFonts":false')
})

test('/docs/scalar.js is the Scalar UI from the installed package, gzipped when accepted', async () => {
  await using t = testApp()
  const plain = await t.app.handle(new Request('http://localhost/docs/scalar.js'))
  expect(plain.status).toBe(200)
  expect(plain.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
  const script = await plain.text()
  expect(script.length).toBeGreaterThan(1_000_000)
  expect(script).toContain('api-reference')
  const gzip = await t.app.handle(
    new Request('http://localhost/docs/scalar.js', { headers: { 'accept-encoding': 'gzip, br' } }),
  )
  expect(gzip.headers.get('content-encoding')).toBe('gzip')
  const bytes = new Uint8Array(await gzip.arrayBuffer())
  expect(bytes.length).toBeLessThan(script.length / 2)
  expect(new TextDecoder().decode(Bun.gunzipSync(bytes))).toBe(script)
})
