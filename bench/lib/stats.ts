export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length === 0
    ? Number.NaN
    : s.length % 2
      ? (s[mid] as number)
      : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 0 ? Number.NaN : (s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number)
}

export type Line = { target: string; figure: string; pass: boolean }
export const lines: Line[] = []

/** Records one line of the report. */
export function report(target: string, figure: string, pass: boolean) {
  lines.push({ target, figure, pass })
  console.log(`${pass ? 'PASS' : 'FAIL'}  ${target}: ${figure}`)
}

/** The least-squares line through the points, at the first and the last point's time. */
export function trend(points: [number, number][]): { from: number; to: number } {
  const n = points.length
  const mx = points.reduce((a, [x]) => a + x, 0) / n
  const my = points.reduce((a, [, y]) => a + y, 0) / n
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0)
  const slope = sxx === 0 ? 0 : points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / sxx
  const at = (x: number) => my + slope * (x - mx)
  return { from: at(points[0]?.[0] ?? 0), to: at(points.at(-1)?.[0] ?? 0) }
}
