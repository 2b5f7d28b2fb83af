import { expect, test } from 'bun:test'
import createClient from 'openapi-fetch'
import { openApiTypes, TYPES_FILE } from '../scripts/openapi-types'
import type { paths } from './generated/parley-api'
import { liveServer } from './live'

// A client generated from the document (openapi-typescript + openapi-fetch), as an API user
// would make one: `bun run typecheck` compiles this file against the generated types.

test('the generated types are those of the current document', async () => {
  // When this fails: `bun run openapi:types`, and look at what changed in the API.
  expect(await Bun.file(TYPES_FILE).text()).toBe(await openApiTypes())
})

test('a typed client drives conversations and messages', async () => {
  await using live = await liveServer({ BOT_PROVIDER: 'none' })
  const api = createClient<paths>({ baseUrl: live.base })

  const created = await api.POST('/conversations', { body: { user_id: 'typed', title: 'From a typed client' } })
  expect(created.response.status).toBe(201)
  const id: string = created.data?.id ?? ''
  const message = await api.POST('/conversations/{id}/messages', {
    params: { path: { id } },
    body: { sender: 'user', content: 'Hello 👋', client_id: 'typed-1' },
  })
  expect(message.response.status).toBe(201)
  // This route can also answer an SSE stream (when asked to): the JSON answer is the one with an id.
  const stored = message.data
  if (typeof stored !== 'object' || !('id' in stored))
    throw new Error(`expected the stored message, got ${JSON.stringify(stored)}`)
  const sender: 'user' | 'ai' = stored.sender
  expect(sender).toBe('user')
  const messageId = stored.id

  const edited = await api.PUT('/conversations/{id}/messages/{message_id}', {
    params: { path: { id, message_id: messageId } },
    body: { content: 'Hello again' },
  })
  expect(edited.data?.content).toBe('Hello again')

  const page = await api.GET('/conversations/{id}/messages', { params: { path: { id }, query: { page: 1, size: 10 } } })
  const total: number | undefined = page.data?.total
  expect(total).toBe(1)
  expect(page.data?.messages.map((m) => m.content)).toEqual(['Hello again'])

  const list = await api.GET('/conversations', { params: { query: { user_id: 'typed', limit: 5 } } })
  expect(list.data?.conversations.map((c) => c.title)).toEqual(['From a typed client'])

  // Errors come typed too: the API's one error shape.
  const missing = await api.GET('/conversations/{id}', { params: { path: { id: 'no-such-id' } } })
  expect(missing.response.status).toBe(404)
  const code: string | undefined = missing.error?.code
  expect(code).toBe('conversation_not_found')
  const invalid = await api.POST('/conversations/{id}/messages', {
    params: { path: { id } },
    body: { sender: 'user', content: '' },
  })
  expect(invalid.response.status).toBe(422)
  expect(Array.isArray(invalid.error?.detail)).toBe(true)

  const deleted = await api.DELETE('/conversations/{id}', { params: { path: { id } } })
  expect(deleted.response.status).toBe(204)
})
