/**
 * `bun run openapi:types`: the TypeScript types of Parley's OpenAPI document (openapi-typescript),
 * for the typed client the tests use (test/typed-client.test.ts checks the file is current).
 */
import { join } from 'node:path'
import openapiTS, { astToString } from 'openapi-typescript'
import { createApp } from '../src/app'
import { loadConfig } from '../src/config'
import { createDeps } from '../src/deps'
import { createLogger } from '../src/log'
import { openSqliteStorage } from '../src/storage/connect'

export const TYPES_FILE = join(import.meta.dir, '../test/generated/parley-api.d.ts')

/** The types of the document a default configuration serves. */
export async function openApiTypes(): Promise<string> {
  const config = loadConfig({}, { DATABASE_URL: 'sqlite::memory:' })
  const store = openSqliteStorage(config)
  try {
    const app = createApp(createDeps(config, store, createLogger({ level: 'error', format: 'json', write: () => {} })))
    const doc = await (await app.handle(new Request('http://localhost/openapi.json'))).text()
    return astToString(await openapiTS(doc))
  } finally {
    await store.close()
  }
}

if (import.meta.main) await Bun.write(TYPES_FILE, await openApiTypes())
