import { expect } from 'bun:test'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, loadConfig } from '../src/config'

/**
 * Config files for tests: each written as parley.json in a fresh folder of a temp dir, loaded
 * with that folder as the cwd (so messages name `parley.json`, as given).
 */
export function configFiles() {
  const dir = mkdtempSync(join(tmpdir(), 'parley-config-'))
  let n = 0
  /** Writes `contents` (JSON unless a string or bytes) and returns the folder. */
  const write = (contents: unknown): string => {
    const folder = join(dir, String(++n))
    mkdirSync(folder)
    const text = typeof contents === 'string' || contents instanceof Uint8Array ? contents : JSON.stringify(contents)
    writeFileSync(join(folder, 'parley.json'), text)
    return folder
  }
  const load = (contents: unknown, env: Record<string, string> = {}, flags: Record<string, string> = {}) =>
    loadConfig(flags, { PARLEY_CONFIG: 'parley.json', ...env }, write(contents))
  /** The one-line ConfigError message loading `contents` gives. */
  const errorOf = (contents: unknown, env: Record<string, string> = {}): string => {
    try {
      load(contents, env)
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError)
      expect((error as Error).message).not.toContain('\n')
      return (error as Error).message
    }
    throw new Error('expected a ConfigError')
  }
  return { dir, write, load, errorOf, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

export const openai = { type: 'openai', model: 'gpt-4o-mini' }
/** A file with one assistant `a` (BOT_PROVIDER=none) over `providers` (default: `main`, openai). */
export const one = (assistant: Record<string, unknown>, providers: Record<string, unknown> = { main: openai }) => ({
  settings: { BOT_PROVIDER: 'none' },
  providers,
  assistants: [{ id: 'a', name: 'A', provider: 'main', ...assistant }],
})
