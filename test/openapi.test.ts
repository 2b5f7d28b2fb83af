import { describe, expect, test } from 'bun:test'
import SwaggerParser from '@apidevtools/swagger-parser'
import { createConfig, lintFromString } from '@redocly/openapi-core'
import { contractOf } from './contract'
import { testApp } from './helpers'

const documentOf = async (env: Record<string, string> = {}) => {
  await using t = testApp(env)
  return (await t.call('GET', '/openapi.json')).body
}

const configs = {
  'AUTH_MODE=none': {},
  'AUTH_MODE=apikey, METRICS=true': { AUTH_MODE: 'apikey', API_KEYS: 'key-1234567890', METRICS: 'true' },
  'AUTH_MODE=jwt': { AUTH_MODE: 'jwt', JWT_SECRET: 'a-secret-of-at-least-32-characters!!' },
}

describe.each(Object.entries(configs))('the OpenAPI document (%s)', (_name, env) => {
  test('is valid for swagger-parser', async () => {
    const doc = await documentOf(env)
    expect(doc.openapi).toBe('3.1.0')
    await SwaggerParser.validate(structuredClone(doc)) // throws, listing every error, when invalid
  })

  test("passes redocly's recommended rules", async () => {
    const doc = await documentOf(env)
    // The one exception: Parley's package declares no license, so the document names none.
    const config = await createConfig({ extends: ['recommended'], rules: { 'info-license': 'off' } })
    const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: '/openapi.json', config })
    expect(problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([])
  })
})

test('the OpenAPI document describes every route with a summary, a tag and its responses', async () => {
  const doc = await documentOf()
  const expected = [
    ['post', '/conversations'],
    ['get', '/conversations'],
    ['get', '/conversations/{id}'],
    ['patch', '/conversations/{id}'],
    ['delete', '/conversations/{id}'],
    ['get', '/conversations/{id}/messages'],
    ['post', '/conversations/{id}/messages'],
    ['put', '/conversations/{id}/messages/{message_id}'],
    ['delete', '/conversations/{id}/messages/{message_id}'],
    ['post', '/conversations/{id}/stop'],
    ['post', '/conversations/{id}/messages/{message_id}/regenerate'],
    ['get', '/conversations/{id}/tree'],
    ['post', '/api/chat'],
    ['get', '/api/chat/{id}/stream'],
    ['get', '/api/chat/{id}/messages'],
    ['get', '/api/chat/{id}/tree'],
    ['post', '/api/chat/{id}/stop'],
    ['put', '/conversations/{id}/head'],
    ['post', '/files'],
    ['get', '/files/{id}'],
    ['delete', '/files/{id}'],
    ['post', '/conversations/{id}/tool-calls/{call_id}/result'],
    ['post', '/conversations/{id}/tool-calls/{call_id}/approval'],
    ['get', '/assistants'],
    ['post', '/assistants'],
    ['get', '/assistants/{id}'],
    ['patch', '/assistants/{id}'],
    ['delete', '/assistants/{id}'],
    ['get', '/usage'],
    ['get', '/quotas/{user_id}'],
    ['put', '/quotas/{user_id}'],
    ['delete', '/quotas/{user_id}'],
    ['get', '/health'],
    ['get', '/health/check'],
    ['get', '/health/ready'],
    ['get', '/'],
  ]
  const ops = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item as object).map((m) => [m, path]))
  expect(ops.sort()).toEqual(expected.sort())
  for (const [method, path] of expected) {
    const op = doc.paths[path as string][method as string]
    expect(op.summary).toBeTruthy()
    expect(op.tags.length).toBeGreaterThan(0)
    // Only JSON bodies are accepted (anything else is 415), so only JSON is declared; uploads
    // are the one multipart/form-data body.
    const body = path === '/files' ? 'multipart/form-data' : 'application/json'
    if (op.requestBody) expect(Object.keys(op.requestBody.content)).toEqual([body])
  }
  const form = doc.paths['/files'].post.requestBody.content['multipart/form-data']
  expect(form.schema).toMatchObject({ required: ['file'], properties: { file: { type: 'string', format: 'binary' } } })
  expect(form.encoding.file.contentType).toContain('image/png')
  // A stored file is served as the type it was stored with: one of FILES_TYPES.
  const served = doc.paths['/files/{id}'].get.responses['200']
  expect(Object.keys(served.content)).toContain('application/pdf')
  const narrow = await documentOf({ FILES_TYPES: 'image/png,text/csv' })
  expect(Object.keys(narrow.paths['/files/{id}'].get.responses['200'].content)).toEqual(['image/png', 'text/csv'])
  expect(served.headers['Content-Disposition'].required).toBe(true)
  const api = doc.paths['/conversations/{id}'].get.responses
  for (const status of ['401', '403', '404', '429', '500', '503']) expect(api[status], status).toBeDefined()
  const limited = doc.components.responses.RateLimited
  expect(limited.headers['Retry-After']).toMatchObject({ required: true, schema: { type: 'integer' } })
  // A stream answers 200 as Server-Sent Events; the JSON answer keeps its own status.
  const post = doc.paths['/conversations/{id}/messages'].post
  expect(Object.keys(post.responses['200'].content)).toEqual(['text/event-stream'])
  expect(Object.keys(post.responses['201'].content['application/json'].schema.properties)).toContain('reply_to')
  expect(
    Object.keys(doc.paths['/conversations/{id}/messages/{message_id}/regenerate'].post.responses['200'].content),
  ).toEqual(['text/event-stream'])
  expect(doc.paths['/conversations/{id}'].delete.responses['204'].content).toBeUndefined()
  // Query parameters are documented as the integers they are, next to the path's.
  const list = doc.paths['/conversations/{id}/messages'].get.parameters
  expect(list.map((p: { in: string; name: string }) => `${p.in}:${p.name}`)).toEqual([
    'path:id',
    'query:page',
    'query:size',
    'query:before',
    'query:limit',
  ])
  expect(list[2]).toMatchObject({ required: false, schema: { type: 'integer', minimum: 1, maximum: 100 } })
})

test('content is documented with the limit the server enforces, in characters', async () => {
  for (const [env, limit] of [
    [{}, 32768],
    [{ MAX_MESSAGE_LENGTH: '100' }, 100],
  ] as const) {
    const doc = await documentOf(env)
    const body = doc.paths['/conversations/{id}/messages'].post.requestBody.content['application/json'].schema
    expect(body.properties.content).toMatchObject({ minLength: 1, maxLength: limit })
    const edit = doc.paths['/conversations/{id}/messages/{message_id}'].put.requestBody.content['application/json']
    expect(edit.schema.properties.content.maxLength).toBe(limit)
  }
  // What the document says is what the server does: the limit in characters, emoji included.
  await using t = testApp({ MAX_MESSAGE_LENGTH: '100' })
  const id = (await t.call('POST', '/conversations/', { user_id: 'u' })).body.id
  const post = (content: string) => t.call('POST', `/conversations/${id}/messages`, { sender: 'user', content })
  expect((await post('😀'.repeat(100))).status).toBe(201)
  expect((await post('😀'.repeat(101))).status).toBe(422)
})

test('security is declared only where AUTH_MODE asks for credentials', async () => {
  const open = await documentOf()
  expect(open.security).toBeUndefined()
  expect(open.components.securitySchemes).toBeUndefined()
  for (const item of Object.values(open.paths))
    for (const op of Object.values(item as object)) expect(op.security).toEqual([])
  const keyed = await documentOf(configs['AUTH_MODE=apikey, METRICS=true'])
  expect(keyed.security).toEqual([{ bearer: [] }, { apiKey: [] }])
  expect(keyed.paths['/conversations'].post.security).toBeUndefined()
  expect(keyed.paths['/health/ready'].get.security).toEqual([])
  expect(keyed.paths['/metrics'].get.responses['200'].content['text/plain']).toBeDefined()
})

test('the harness refuses answers the document does not describe', async () => {
  const contract = contractOf(JSON.stringify(await documentOf()))
  const json = new Headers({ 'content-type': 'application/json' })
  const answer = (status: number, body: unknown, headers = json) => ({ status, headers, text: JSON.stringify(body) })
  const ok = { status: 'ok' }
  expect(() => contract.check('GET', '/health/ready', answer(200, ok))).not.toThrow()
  expect(() => contract.check('GET', '/health/ready', answer(200, { status: 'fine' }))).toThrow(/does not match/)
  expect(() => contract.check('GET', '/health/ready', answer(418, ok))).toThrow(/not declared/)
  expect(() =>
    contract.check('GET', '/health/', answer(200, ok, new Headers({ 'content-type': 'text/html' }))),
  ).toThrow(/content type/)
  const limited = { detail: 'Too many requests', code: 'rate_limited' }
  expect(() => contract.check('GET', '/conversations/x', answer(429, limited))).toThrow(/Retry-After/)
  const retry = new Headers({ 'content-type': 'application/json', 'retry-after': '3' })
  expect(() => contract.check('GET', '/conversations/x', answer(429, limited, retry))).not.toThrow()
  expect(() => contract.check('GET', '/nowhere', answer(200, ok))).toThrow(/no operation/)
  expect(() => contract.check('GET', '/nowhere', answer(404, { detail: 'Not Found', code: 'not_found' }))).not.toThrow()
})

test('/docs and /docs/ serve the docs page, which loads the document by its absolute path', async () => {
  await using t = testApp()
  const res = await t.call('GET', '/docs')
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toContain('text/html')
  expect(res.text).toContain('data-url="/openapi.json"')
  expect((await t.call('GET', '/docs/')).text).toBe(res.text)
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
