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
