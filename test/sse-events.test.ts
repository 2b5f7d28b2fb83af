import { expect, test } from 'bun:test'
import fc from 'fast-check'
import { EventTooLong, sseEvents } from '../src/bots/sse-events'

/** A body that delivers these byte chunks, one read each. */
const body = (chunks: Uint8Array[]) =>
  new ReadableStream<Uint8Array>({
    pull(c) {
      const next = chunks.shift()
      if (next) c.enqueue(next)
      else c.close()
    },
  })

/** `bytes` cut at the given points (a multi-byte character may be cut too). */
const cut = (bytes: Uint8Array, points: number[]) => {
  const at = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b)
  return [0, ...at, bytes.length].slice(1).map((end, i, ends) => bytes.slice(i ? (ends[i - 1] as number) : 0, end))
}

const read = async (chunks: Uint8Array[], max: number) => {
  const data: string[] = []
  for await (const event of sseEvents(body(chunks), max)) data.push(event.data)
  return data
}

// A line of data: anything but the line ends, which SSE cannot carry inside a field.
const line = fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, ''))
const eol = fc.constantFrom('\n', '\r\n', '\r')

test('events cut anywhere, with any line ends, comments and multi-line data, arrive whole and in order', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(fc.array(line, { minLength: 1, maxLength: 3 }), eol, fc.boolean()), { maxLength: 8 }),
      fc.array(fc.nat(), { maxLength: 12 }),
      async (events, points) => {
        const wire = events
          .map(
            ([lines, end, comment]) =>
              `${comment ? `: ping${end}` : ''}${lines.map((l) => `data: ${l}${end}`).join('')}${end}`,
          )
          .join('')
        const data = await read(cut(new TextEncoder().encode(wire), points), 1 << 20)
        expect(data).toEqual(events.map(([lines]) => lines.join('\n')))
      },
    ),
    { numRuns: 300 },
  )
})

test('any bytes end the stream or fail it as too long, never anything else; nothing longer is kept', async () => {
  const max = 64
  await fc.assert(
    fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 100 }), { maxLength: 8 }), async (chunks) => {
      try {
        for (const d of await read(chunks, max)) expect(d.length).toBeLessThanOrEqual(max)
      } catch (error) {
        expect(error).toBeInstanceOf(EventTooLong)
      }
    }),
    { numRuns: 500 },
  )
})
