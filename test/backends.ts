import { createMysqlDatabase, createPostgresDatabase, needs } from './databases'

export type Backend = { env: Record<string, string>; drop(): Promise<void> }

/**
 * The storage backends a realtime test runs on: SQLite always; PostgreSQL and MariaDB/MySQL in
 * throwaway databases where they are reachable (required under CI=true). Awaits are real
 * network round trips there, which is where interleavings hidden on SQLite show up.
 */
export async function backends(): Promise<[string, () => Promise<Backend>][]> {
  const list: [string, () => Promise<Backend>][] = [['SQLite', async () => ({ env: {}, drop: async () => {} })]]
  const network = [
    ['PostgreSQL', createPostgresDatabase],
    ['MySQL', createMysqlDatabase],
  ] as const
  for (const [name, create] of network) {
    if (!(await needs(name))) continue
    list.push([
      name === 'MySQL' ? 'MariaDB/MySQL' : name,
      async () => {
        const db = await create()
        return { env: { DATABASE_URL: db.url }, drop: () => db.drop() }
      },
    ])
  }
  return list
}
