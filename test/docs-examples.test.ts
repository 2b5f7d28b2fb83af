import { afterAll, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Settings } from '../src/config'
import { liveServer } from './live'
import { spawnParley } from './process'

// The examples of README.md and docs/api.md, run as a user would run them, so they cannot rot.
const root = join(import.meta.dir, '..')
const readme = await Bun.file(join(root, 'README.md')).text()
const api = await Bun.file(join(root, 'docs/api.md')).text()
const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** A command line of a ```sh block and what its comments say about it. */
type Example = { line: string; status: number; shape: string | null; events: { name: string; data: string }[] }

/**
 * The command lines of a Markdown text's ```sh blocks (a trailing `\` joins lines), in order. In each
 * group of lines (groups are separated by blank lines) the leading comments cover every command under
 * them ("# create → 201", "# list → {shape}"); comments right after a command show its answer.
 */
function examples(md: string): Example[] {
  const out: Example[] = []
  for (const [, block] of md.matchAll(/^```sh\n([\s\S]*?)^```$/gm))
    for (const group of (block as string).replace(/\s*\\\n\s*/g, ' ').split(/\n\s*\n/)) {
      let heading = ''
      const commands: { line: string; answer: string[] }[] = []
      for (const line of group.split('\n').filter((l) => l.trim())) {
        if (!line.startsWith('#')) commands.push({ line: line.trim(), answer: [] })
        else if (commands.length) commands.at(-1)?.answer.push(line.replace(/^#\s*/, ''))
        else heading += line
      }
      for (const { line, answer } of commands) {
        const shown = answer.join('')
        out.push({
          line,
          status: Number(heading.match(/→ (\d{3})/)?.[1] ?? 200),
          shape: shown.startsWith('{') ? shown : (heading.match(/→ (\{.*\})/)?.[1] ?? null),
          events: answer.flatMap((a) => {
            const m = a.match(/^event: (\w+)\s+data: (.*)$/)
            return m ? [{ name: m[1] as string, data: m[2] as string }] : []
          }),
        })
      }
    }
  return out
}

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)
/** Where `real` differs from a documented JSON value: missing keys, other value types. */
function mismatches(doc: unknown, real: unknown, at = 'answer'): string[] {
  if (kind(doc) !== kind(real)) return [`${at} is ${kind(real)}, the doc shows ${kind(doc)}`]
  if (kind(doc) !== 'object') return []
  return Object.entries(doc as object).flatMap(([k, v]) =>
    k in (real as object) ? mismatches(v, (real as any)[k], `${at}.${k}`) : [`${at} has no ${k}`],
  )
}
/** A documented answer is JSON (keys and value types must match) or a sketch naming keys: `{"total","page"}`. */
function promised(doc: string, real: unknown): string[] {
  try {
    return mismatches(JSON.parse(doc), real)
  } catch {
    if (kind(real) !== 'object') return [`answer is ${kind(real)}, the doc shows an object`]
    const keys = [...doc.matchAll(/[{,]\s*"(\w+)"/g)].map((m) => m[1] as string)
    return keys.filter((k) => !(k in (real as object))).map((k) => `answer has no ${k}`)
  }
}

/** Runs a curl line with bash (status appended by `-w`); returns its exit code, status and body. */
async function curl(line: string) {
  const proc = Bun.spawn(['bash', '-c', `${line} -w '\\n%{http_code}'`], {
    stdout: 'pipe',
    stderr: 'pipe',
    env: { PATH: process.env.PATH ?? '' }, // no proxy settings, no ~/.curlrc
    timeout: 10_000,
  })
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ])
  const cut = out.lastIndexOf('\n')
  return { code, err, status: Number(out.slice(cut + 1)), body: out.slice(0, cut) }
}

test('the curl examples of docs/api.md (and README.md) work against a live server, in document order', async () => {
  await using live = await liveServer()
  const all = [...examples(readme).filter((e) => e.line.startsWith('curl ')), ...examples(api)]
  expect(all.length).toBeGreaterThanOrEqual(13)
  // Ids that earlier answers gave, for the <placeholders> of later lines.
  const vars: Record<string, string> = {}
  const create = all.find((e) => /-X POST \S+\/conversations\/ /.test(e.line)) as Example

  async function run(example: Example) {
    const line = example.line.replaceAll('localhost:8000', live.url.host).replace(/<(\w+)>/g, (p, name: string) => {
      if (vars[name] === undefined) throw new Error(`${example.line}\nno earlier example gave ${p}`)
      return vars[name]
    })
    const where = `${example.line}\n  ran as: ${line}`
    expect(/^curl (?!.* (\||&&|;) )/.test(example.line), `${example.line}\n  is not one curl command`).toBe(true)
    const { code, err, status, body } = await curl(line)
    expect(code, `${where}\n  exit ${code}: ${err}`).toBe(0)
    expect(status, `${where}\n  answered ${status}: ${body}`).toBe(example.status)
    if (example.events.length) return checkStream(example, body, where)
    const json: any = body === '' ? null : JSON.parse(body)
    if (example.shape) expect(promised(example.shape, json), `${where}\n  answered: ${body}`).toEqual([])
    if (status === 201 && typeof json?.id === 'string') vars[json.conversation_id ? 'message_id' : 'id'] = json.id
    if (json && 'next_cursor' in json)
      // The examples make one page of each list, so next_cursor is null; it would be the page's last id.
      vars.next_cursor = json.next_cursor ?? (json.conversations ?? json.messages).at(-1)?.id
    // Deleting <id> ends the conversation; a user creates another for the examples that follow.
    if (/-X DELETE \S+\/conversations\/<id>$/.test(example.line)) await run(create)
  }
  for (const example of all) await run(example)
}, 30_000)

/** An SSE answer: the events the doc shows, in its order (repeats of one event as one), and their data's shape. */
function checkStream(example: Example, body: string, where: string) {
  const events = body
    .split(/\n\n+/)
    .filter((chunk) => chunk.trim() && !chunk.startsWith(':'))
    .map((chunk) => ({
      name: chunk.match(/^event: (.*)$/m)?.[1] ?? 'message',
      data: JSON.parse(chunk.match(/^data: (.*)$/m)?.[1] ?? 'null'),
    }))
  const runs = (names: string[]) => names.filter((n, i) => n !== names[i - 1])
  expect(runs(events.map((e) => e.name)), `${where}\n  answered: ${body}`).toEqual(
    runs(example.events.map((e) => e.name)),
  )
  for (const documented of example.events) {
    if (!documented.data.startsWith('{"')) continue // prose such as {the stored reply}
    for (const real of events.filter((e) => e.name === documented.name))
      expect(
        promised(documented.data, real.data),
        `${where}\n  ${documented.name}: ${JSON.stringify(real.data)}`,
      ).toEqual([])
  }
}

test("README's Quick start: the start command serves and creates the SQLite file it names", async () => {
  const quick = readme.split(/^## /m).find((s) => s.startsWith('Quick start')) as string
  const [block] = [...quick.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string)
  const lines = (block as string).split('\n').filter((l) => l.trim() && !l.startsWith('#'))
  const commands = lines.map((l) =>
    l.match(/^npx --yes (bun@[\d.]+) install( --frozen-lockfile)? && npx --yes \1 (.+)$/),
  )
  expect(
    commands.map((m) => m?.[3]),
    lines.join('\n'),
  ).toEqual(['src/main.ts', 'test'])

  // "start the server on http://127.0.0.1:8000 (SQLite file ./db/chatbot.db)": the defaults, checked;
  // the server itself on a free port, in an empty folder.
  const said = (block as string).match(/on http:\/\/([\d.]+):(\d+) \(SQLite file \.\/(\S+)\)/)
  expect(said, 'the start comment names the URL and the SQLite file').not.toBeNull()
  const [, host, port, file] = said as unknown as string[]
  expect([Settings.properties.HOST.default, String(Settings.properties.PORT.default)]).toEqual([host, port])
  const cwd = mkdtempSync(join(tmpdir(), 'parley-quick-start-'))
  dirs.push(cwd)
  await using parley = spawnParley([process.execPath, join(root, 'src/main.ts')], { cwd, env: { PORT: '0' } })
  const url = await parley.url()
  expect(url).toStartWith(`http://${host}:`)
  expect(existsSync(join(cwd, file as string)), `${file} in the start folder`).toBe(true)
  // "API docs are served at <http://127.0.0.1:8000/docs>, the OpenAPI document at `/openapi.json`"
  for (const path of ['/health/', '/docs', '/openapi.json'])
    expect((await fetch(url + path, { signal: AbortSignal.timeout(5000) })).status, path).toBe(200)
  parley.proc.kill('SIGTERM')
  expect(await parley.proc.exited).toBe(0)
}, 30_000)
