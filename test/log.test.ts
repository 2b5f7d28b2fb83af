import { expect, test } from 'bun:test'
import { createLogger, redactUrl } from '../src/log'

test.each([
  ['postgres://app:s3cret@db:5432/parley?sslmode=require', 'postgres://app:***@db:5432/parley?sslmode=require'],
  ['postgres://app:p@ss/w0rd@db/parley', 'postgres://app:***@db/parley'], // raw "@" and "/" in the password
  ['mysql://root:p%40ss@127.0.0.1:3306/chat', 'mysql://root:***@127.0.0.1:3306/chat'],
  ['redis://:hunter2@cache:6379/0', 'redis://:***@cache:6379/0'],
  ['postgres://db/parley?user=app&password=s3cret&x=1', 'postgres://db/parley?user=app&password=***&x=1'],
  ['postgres://app@db/parley', 'postgres://app@db/parley'],
  ['postgres://db:5432/parley', 'postgres://db:5432/parley'],
  ['sqlite:///./db/chatbot.db', 'sqlite:///./db/chatbot.db'],
  ['sqlite:////data/chatbot.db', 'sqlite:////data/chatbot.db'],
  ['sqlite::memory:', 'sqlite::memory:'],
])('redactUrl(%s)', (url, expected) => {
  expect(redactUrl(url)).toBe(expected)
})

test('JSON format: one parseable object per line, errors with their message and stack', () => {
  const lines: string[] = []
  const log = createLogger({ level: 'info', format: 'json', write: (l) => lines.push(l) }).child({ component: 'x' })
  log.debug('hidden')
  log.info('hello', { n: 1, text: 'two\nlines' })
  log.error('failed', { err: new Error('boom') })
  expect(lines).toHaveLength(2)
  for (const line of lines) expect(line.endsWith('\n') && !line.slice(0, -1).includes('\n')).toBe(true)
  expect(JSON.parse(lines[0] as string)).toMatchObject({ level: 'info', msg: 'hello', component: 'x', n: 1 })
  const error = JSON.parse(lines[1] as string)
  expect(error.err).toMatchObject({ name: 'Error', message: 'boom' })
  expect(error.err.stack).toContain('log.test.ts')
})

test('pretty format: time, level, message and fields on one line', () => {
  const lines: string[] = []
  createLogger({ level: 'debug', format: 'pretty', write: (l) => lines.push(l) }).warn('slow', { ms: 12, path: '/x' })
  expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z WARN {2}slow ms=12 path=\/x\n$/)
})

// A child logs 2,000 lines, two of them 2 MB (more than any pipe holds), while nobody reads its
// stdout for a while: the pipe fills, and every line must still arrive whole and in order. Bun
// makes stdout blocking at start, but once anything creates `process.stdout` it is non-blocking:
// the first line, into the empty pipe, is cut where the pipe is full; later writes get EAGAIN.
test.each([
  ['a blocking pipe', ''],
  ['a non-blocking pipe', 'process.stdout'],
])('to stdout through %s that fills up: every line whole and in order', async (_, before) => {
  const script = `
    import { createLogger } from ${JSON.stringify(`${import.meta.dir}/../src/log`)}
    ${before}
    const log = createLogger({ level: 'info', format: 'auto' })
    for (let i = 0; i < 2000; i++) log.info('line', { i, pad: big(i) ? 'é'.repeat(1_000_000) : 'y'.repeat(500) })
    function big(i) { return i === 0 || i === 1000 }
  `
  const child = Bun.spawn([process.execPath, '-e', script], { stdout: 'pipe', stderr: 'pipe' })
  await Bun.sleep(300)
  const [out, err, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ])
  expect(err).toBe('')
  expect(code).toBe(0)
  const lines = out.trimEnd().split('\n')
  expect(lines).toHaveLength(2000)
  // Not a terminal, so 'auto' is JSON.
  lines.forEach((line, i) => {
    const entry = JSON.parse(line)
    expect(entry.i).toBe(i)
    expect(entry.pad).toBe(i === 0 || i === 1000 ? 'é'.repeat(1_000_000) : 'y'.repeat(500))
  })
})

test('to a closed stdout: lines are dropped, logging never throws', async () => {
  const script = `
    import { createLogger } from ${JSON.stringify(`${import.meta.dir}/../src/log`)}
    const log = createLogger({ level: 'info', format: 'json' })
    await Bun.sleep(200)
    let thrown = 0
    for (let i = 0; i < 100; i++) try { log.info('line', { i }) } catch { thrown++ }
    require('node:fs').writeSync(2, 'thrown ' + thrown)
  `
  const child = Bun.spawn([process.execPath, '-e', script], { stdout: 'pipe', stderr: 'pipe' })
  await child.stdout.cancel() // the reader goes away: writes fail with EPIPE
  expect(await new Response(child.stderr).text()).toBe('thrown 0')
  expect(await child.exited).toBe(0)
})
