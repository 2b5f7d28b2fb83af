import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import type { Config } from './config'
import { openDriver } from './storage/connect'
import { exportData, importData } from './storage/transfer'

/** `parley export [file]`: NDJSON to the file, or stdout. Progress goes to stderr. */
export async function runExport(config: Config, file?: string): Promise<void> {
  const driver = await openDriver(config)
  try {
    const sink = file && file !== '-' ? Bun.file(file).writer() : Bun.stdout.writer()
    let lines = 0
    for await (const line of exportData(driver)) {
      sink.write(line)
      if (++lines % 1000 === 0) await sink.flush()
    }
    await sink.end()
    console.error(`parley: exported ${lines} lines`)
  } finally {
    await driver.close()
  }
}

/** `parley import [file]`: NDJSON from the file, or stdin. */
export async function runImport(config: Config, file?: string): Promise<void> {
  const driver = await openDriver(config)
  try {
    const input = file && file !== '-' ? createReadStream(file, 'utf8') : process.stdin
    const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })
    const r = await importData(driver, lines)
    console.error(
      `parley: imported ${r.conversations} conversations, ${r.messages} messages; skipped ${r.skipped} existing`,
    )
  } finally {
    await driver.close()
  }
}
