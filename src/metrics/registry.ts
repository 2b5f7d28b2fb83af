/**
 * A small Prometheus registry: counters, gauges and histograms with fixed label names, rendered
 * in the text exposition format (version 0.0.4). Written here rather than taken from prom-client,
 * which works in the compiled binary but costs ~7 ms of start-up to load (measured) for the
 * dozen lines of it we would use.
 */

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

export type Labels<L extends string> = { readonly [K in L]: string | number }

// Label values escape backslash, double quote and newline; help text escapes backslash and newline.
const NEEDS_ESCAPE = /[\\"\n]/
const escapeValue = (v: string) =>
  NEEDS_ESCAPE.test(v) ? v.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n') : v
const escapeHelp = (v: string) => v.replaceAll('\\', '\\\\').replaceAll('\n', '\\n')
const formatNumber = (n: number) =>
  Number.isNaN(n) ? 'NaN' : n === Number.POSITIVE_INFINITY ? '+Inf' : n === -Infinity ? '-Inf' : String(n)

abstract class Family<L extends string> {
  abstract readonly type: 'counter' | 'gauge' | 'histogram'
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly L[],
  ) {}

  /** The rendered label set, also the series key: label names are fixed, so it is unique. */
  protected key(labels: Labels<L>): string {
    // On every request's path: a plain loop, no intermediate arrays.
    let key = ''
    for (const n of this.labelNames) key += `${key ? ',' : ''}${n}="${escapeValue(String(labels[n]))}"`
    return key
  }

  protected sample(suffix: string, key: string, value: number): string {
    return `${this.name}${suffix}${key ? `{${key}}` : ''} ${formatNumber(value)}`
  }

  abstract samples(): string[]

  render(): string {
    const head = `# HELP ${this.name} ${escapeHelp(this.help)}\n# TYPE ${this.name} ${this.type}\n`
    const lines = this.samples()
    return head + (lines.length ? `${lines.join('\n')}\n` : '')
  }
}

export class Counter<L extends string> extends Family<L> {
  readonly type = 'counter'
  private readonly values = new Map<string, number>()

  inc(labels: Labels<L>, by = 1): void {
    const key = this.key(labels)
    this.values.set(key, (this.values.get(key) ?? 0) + by)
  }

  samples(): string[] {
    return [...this.values].map(([key, value]) => this.sample('', key, value))
  }
}

export class Gauge<L extends string> extends Family<L> {
  readonly type = 'gauge'
  private readonly values = new Map<string, number>()

  set(labels: Labels<L>, value: number): void {
    this.values.set(this.key(labels), value)
  }

  samples(): string[] {
    return [...this.values].map(([key, value]) => this.sample('', key, value))
  }
}

type Series = { counts: number[]; sum: number; count: number }

export class Histogram<L extends string> extends Family<L> {
  readonly type = 'histogram'
  private readonly series = new Map<string, Series>()

  constructor(
    name: string,
    help: string,
    labelNames: readonly L[],
    readonly buckets: readonly number[],
  ) {
    super(name, help, labelNames)
  }

  observe(labels: Labels<L>, value: number): void {
    const key = this.key(labels)
    let s = this.series.get(key)
    if (!s) {
      s = { counts: this.buckets.map(() => 0), sum: 0, count: 0 }
      this.series.set(key, s)
    }
    const i = this.buckets.findIndex((upper) => value <= upper)
    if (i !== -1) s.counts[i] = (s.counts[i] as number) + 1
    s.sum += value
    s.count++
  }

  samples(): string[] {
    const out: string[] = []
    for (const [key, s] of this.series) {
      const le = (bound: string) => (key ? `${key},le="${bound}"` : `le="${bound}"`)
      let cumulative = 0
      this.buckets.forEach((upper, i) => {
        cumulative += s.counts[i] as number
        out.push(this.sample('_bucket', le(formatNumber(upper)), cumulative))
      })
      out.push(this.sample('_bucket', le('+Inf'), s.count))
      out.push(this.sample('_sum', key, s.sum), this.sample('_count', key, s.count))
    }
    return out
  }
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/

/** Owns the metric families of one server and renders them; `onCollect` hooks run per scrape. */
export class Registry {
  private readonly families: Family<string>[] = []
  private readonly collectors: (() => void)[] = []

  private add<F extends Family<string>>(family: F): F {
    if (!NAME.test(family.name) || this.families.some((f) => f.name === family.name))
      throw new Error(`invalid or duplicate metric name ${family.name}`)
    this.families.push(family)
    return family
  }

  counter<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return this.add(new Counter(name, help, labelNames))
  }

  gauge<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    return this.add(new Gauge(name, help, labelNames))
  }

  histogram<L extends string = never>(
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets: readonly number[],
  ): Histogram<L> {
    return this.add(
      new Histogram(
        name,
        help,
        labelNames,
        [...buckets].sort((a, b) => a - b),
      ),
    )
  }

  /** Runs `collect` before every scrape: for values read, not counted (open sockets, memory). */
  onCollect(collect: () => void): void {
    this.collectors.push(collect)
  }

  /** The text exposition of every family. */
  expose(): string {
    for (const collect of this.collectors) collect()
    return this.families.map((f) => f.render()).join('')
  }
}
