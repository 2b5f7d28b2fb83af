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
})

test('/docs serves the docs page', async () => {
  await using t = testApp()
  const res = await t.call('GET', '/docs')
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toContain('text/html')
  expect(res.text).toContain('data-url="openapi.json"')
})
