/** Reading the lab emulator's export file for Import-CsPersistentChatData: its lines as checked
 * records. */
import { LabError } from '../errors.js'
import { toRecord } from '../export-format.js'
import type { ExportRecord } from '../export-format.js'
import { NdjsonReader } from '../ndjson.js'
import type { NdjsonLine } from '../ndjson.js'

/** The export file's records, checked: `take` hands them out synchronously within a chunk
 * (see NdjsonReader), `refill` reads on. */
export class RecordReader {
  private constructor(
    private readonly lines: NdjsonReader,
    private readonly file: string,
  ) {}

  static async open(file: string): Promise<RecordReader> {
    return new RecordReader(await NdjsonReader.open(file), file)
  }

  /** The next record of the chunk in hand, or undefined once it is used up (then `refill`). */
  take(): ExportRecord | undefined {
    try {
      return this.record(this.lines.take())
    } catch (e) {
      throw this.explained(e)
    }
  }

  /** Reads on to the next record; undefined at the end of the file. */
  async refill(): Promise<ExportRecord | undefined> {
    try {
      return this.record(await this.lines.refill())
    } catch (e) {
      throw this.explained(e)
    }
  }

  async close(): Promise<void> {
    await this.lines.close()
  }

  private record(l: NdjsonLine | undefined): ExportRecord | undefined {
    return l === undefined ? undefined : toRecord(l.value, this.file, l.line)
  }

  private explained(e: unknown): unknown {
    return e instanceof SyntaxError ? new LabError(`${this.file}: ${e.message}; is this a lab emulator export?`) : e
  }
}
