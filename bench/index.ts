/**
 * `bun run bench`: every performance and reliability target, Parley next to the minimal floor
 * (floor.ts) or the raw baseline (baseline.ts) where there is one, medians of alternating rounds,
 * one PASS/FAIL line per target.
 * `bun run bench rest depth …` runs only the named parts.
 */
import { cpus, totalmem } from 'node:os'
import { connections } from './connections'
import { crashDurability } from './crash'
import { historyDepth } from './depth'
import { fanOut } from './fanout'
import { importStall } from './import-stall'
import { GENERATOR } from './lib/load'
import { PINNING } from './lib/servers'
import { lines } from './lib/stats'
import { relayLatency } from './relay'
import { restThroughput } from './rest'
import { slowConsumer } from './slow-consumer'
import { soak } from './soak'
import { socketFlood } from './socket-flood'
import { startup } from './startup'
import { websocketThroughput } from './websocket'

const parts: Record<string, () => Promise<void>> = {
  rest: restThroughput,
  depth: historyDepth,
  websocket: websocketThroughput,
  fanout: fanOut,
  connections,
  startup,
  'slow-consumer': slowConsumer,
  'socket-flood': socketFlood,
  crash: crashDurability,
  soak,
  'import-stall': importStall,
  relay: relayLatency,
}
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(parts)
const cpu = cpus()
console.log(`Parley benchmarks, ${new Date().toISOString().slice(0, 10)}`)
console.log(
  `machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Bun ${Bun.version}`,
)
console.log(`load: ${GENERATOR}; ${PINNING}; SQLite file databases; request logs off (LOG_LEVEL=warn)\n`)
for (const name of chosen) {
  const run = parts[name]
  if (!run) throw new Error(`unknown part ${name}; parts: ${Object.keys(parts).join(', ')}`)
  console.log(`== ${name}`)
  try {
    await run()
  } catch (error) {
    lines.push({
      target: name,
      figure: `did not complete: ${error instanceof Error ? error.message : error}`,
      pass: false,
    })
    console.log(`FAIL  ${name}: ${error}`)
  }
  console.log()
}
console.log('| Result | Target | Measured |')
console.log('|---|---|---|')
for (const l of lines) console.log(`| ${l.pass ? 'PASS' : 'FAIL'} | ${l.target} | ${l.figure} |`)
process.exit(lines.every((l) => l.pass) ? 0 : 1)
