/** What the lab emulator hands back: JSON-able results and progress reports. */

export interface LabProgress {
  readonly done: number
  readonly total: number
  readonly unit: string
}

export type ProgressListener = (progress: LabProgress) => void

/** The outcome of one emulated cmdlet; every output and warning line says it comes from the lab emulator. */
export interface LabResult {
  readonly output: readonly string[]
  readonly data?: Readonly<Record<string, unknown>>
  readonly warnings?: readonly string[]
}

/** A line the lab emulator shows a person. */
export function say(text: string): string {
  return `lab emulator: ${text}`
}
