import { expect, test } from 'bun:test'
import { join } from 'node:path'
import { Settings } from '../src/config'

// The reference lives in docs/, one file per topic; README links to it.
const doc = (name: string) => Bun.file(join(import.meta.dir, '../docs', name)).text()
const configuration = await doc('configuration.md')
const realtime = await doc('realtime.md')

test('the configuration reference lists every setting with its default', () => {
  for (const [key, schema] of Object.entries(Settings.properties)) {
    const row = configuration.split('\n').find((line) => line.startsWith(`| \`${key}\` |`))
    expect(row, key).toBeDefined()
    const def = (schema as { default?: unknown }).default
    expect(row).toContain(def === undefined ? '(unset)' : def === '' ? '(empty)' : `\`${def}\``)
  }
})

test('the realtime reference documents every realtime event name', async () => {
  const { ClientEvents } = await import('../src/features/realtime/protocol')
  for (const name of [
    ...Object.keys(ClientEvents),
    'joined',
    'new_message',
    'message_updated',
    'message_deleted',
    'conversation_updated',
    'conversation_deleted',
    'message_delta',
    'reply_in_progress',
    'resync_required',
  ]) {
    expect(realtime, name).toContain(`\`${name}\``)
  }
})
