import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { crashRound } from '../test/crash'
import { report } from './lib/stats'

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 5)

/** Reliability: kill -9 under 32 REST + 32 WebSocket writers, five times. */
export async function crashDurability() {
  let lost = 0
  let acknowledged = 0
  const figures: string[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const dir = mkdtempSync(join(tmpdir(), 'parley-crash-'))
    try {
      const r = await crashRound(join(dir, 'crash.db'), 2000)
      acknowledged += r.acknowledged
      lost += r.missing + r.duplicates + r.gaps
      figures.push(`${r.acknowledged} acked/${r.stored} stored`)
      console.log(
        `  round ${round + 1}: ${r.acknowledged} acknowledged, ${r.stored} stored, missing ${r.missing}, duplicated ${r.duplicates}, conversations with a gap ${r.gaps}`,
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  report(
    `Crash durability: kill -9 mid-load (32 REST + 32 WebSocket writers), ${ROUNDS} rounds`,
    `${acknowledged} acknowledged messages, ${lost} missing, duplicated or out of the gap-free log`,
    lost === 0 && acknowledged > 0,
  )
}

if (import.meta.main) await crashDurability()
