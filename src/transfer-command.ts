import { createReadStream, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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

/**
 * `parley import [file]`: NDJSON from the file, or stdin. The file is read twice (checked whole,
 * then written), so stdin is first copied to a temporary file.
 */
export async function runImport(config: Config, file?: string): Promise<void> {
  const spool = file && file !== '-' ? null : mkdtempSync(join(tmpdir(), 'parley-import-'))
  try {
    const path = spool ? join(spool, 'stdin.ndjson') : (file as string)
    if (spool) await Bun.write(path, new Response(Bun.stdin.stream()))
    const open = () => createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY })
    const driver = await openDriver(config)
    try {
      const r = await importData(driver, open, config)
      if (r.format === 1) {
        console.error(
          `parley: warning: ${spool ? 'stdin' : path} has no header line (an export from before format 2): a file cut between two conversations cannot be detected`,
        )
      }
      const completed = r.completed ? `; completed ${r.completed} partly imported` : ''
      console.error(
        `parley: imported ${r.conversations} conversations, ${r.messages} messages; skipped ${r.skipped} existing${completed}; ${r.files} files (${r.filesSkipped} already stored); ${r.assistants} assistants, ${r.quotas} quotas, ${r.usage} usage rows (${r.assistantsSkipped + r.quotasSkipped + r.usageSkipped} already there)`,
      )
    } finally {
      await driver.close()
    }
  } finally {
    if (spool) rmSync(spool, { recursive: true, force: true })
  }
}
