import { expect } from 'bun:test'

/** One series of a scraped family: its labels and value (histograms: per-bucket counts too). */
export type Series = { labels: Record<string, string>; value: number }
export type Family = { name: string; type: string; help: string; samples: (Series & { name: string })[] }

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\.)*)"(,|$)/y

/**
 * A strict reader of the Prometheus text format (0.0.4), for tests: every sample must follow
 * its family's `# TYPE`, label sets must be unique, histogram buckets cumulative with `+Inf`
 * equal to `_count`. Fails the test on anything else.
 */
export function scrape(text: string): Map<string, Family> {
  expect(text.endsWith('\n')).toBe(true)
  const families = new Map<string, Family>()
  let current: Family | null = null
  const seen = new Set<string>()
  for (const line of text.slice(0, -1).split('\n')) {
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line)
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string]
      current = families.get(name) ?? { name, type: 'untyped', help: '', samples: [] }
      families.set(name, current)
      if (kind === 'TYPE') expect(['counter', 'gauge', 'histogram', 'summary', 'untyped']).toContain(rest)
      if (kind === 'TYPE') current.type = rest
      else current.help = rest
      continue
    }
    const m = SAMPLE.exec(line)
    expect(m, `bad line: ${line}`).not.toBeNull()
    const [, name, rawLabels = '', raw] = m as unknown as [string, string, string | undefined, string]
    expect(current, `sample before any TYPE: ${line}`).not.toBeNull()
    const family = current as Family
    const suffixes = family.type === 'histogram' ? ['_bucket', '_sum', '_count'] : ['']
    expect(
      suffixes.map((s) => family.name + s),
      line,
    ).toContain(name)
    const labels: Record<string, string> = {}
    LABEL.lastIndex = 0
    while (LABEL.lastIndex < rawLabels.length) {
      const l = LABEL.exec(rawLabels)
      expect(l, `bad labels: ${line}`).not.toBeNull()
      const [, key, val] = l as unknown as [string, string, string]
      labels[key] = val.replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c))
    }
    const value = raw === '+Inf' ? Number.POSITIVE_INFINITY : Number(raw)
    expect(Number.isNaN(value) && raw !== 'NaN', `bad value: ${line}`).toBe(false)
    const key = `${name}{${JSON.stringify(labels)}}`
    expect(seen.has(key), `duplicate series: ${line}`).toBe(false)
    seen.add(key)
    family.samples.push({ name, labels, value })
  }
  for (const f of families.values()) if (f.type === 'histogram') checkHistogram(f)
  return families
}

function checkHistogram(f: Family) {
  const groups = new Map<string, (Series & { name: string })[]>()
  for (const s of f.samples) {
    const { le: _, ...rest } = s.labels
    const key = JSON.stringify(rest)
    groups.set(key, [...(groups.get(key) ?? []), s])
  }
  for (const samples of groups.values()) {
    const buckets = samples.filter((s) => s.name.endsWith('_bucket'))
    const counts = buckets.map((b) => b.value)
    expect(counts).toEqual([...counts].sort((a, b) => a - b))
    expect(buckets.at(-1)?.labels.le).toBe('+Inf')
    expect(buckets.at(-1)?.value).toBe(samples.find((s) => s.name.endsWith('_count'))?.value as number)
  }
}

/** The value of the family's sample whose labels include `labels` (0 when absent). */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const sample = families
    .get(name.replace(/_(bucket|sum|count)$/, ''))
    ?.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
  return sample?.value ?? 0
}
