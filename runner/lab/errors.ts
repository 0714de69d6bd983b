/**
 * Errors of the lab emulator. Every message starts with "lab emulator:" so that nobody mistakes
 * what the embedded lab says for what a real Lync server said.
 */
import { CutoverError, EXIT } from '../core/errors.js'

/** Something about the lab itself is wrong: its files, its options, a fault spec. */
export class LabError extends CutoverError {
  override readonly name: string = 'LabError'
  readonly exitCode = EXIT.failed

  constructor(message: string, options?: ErrorOptions) {
    super(`lab emulator: ${message}`, options)
  }
}

/** An emulated cmdlet failed the way the real one would (unknown parameter, object not found, ...). */
export class LabCommandError extends LabError {
  override readonly name: string = 'LabCommandError'

  constructor(
    readonly cmdlet: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${cmdlet} : ${message}`, options)
  }
}

/** An emulated cmdlet stopped part-way because the run was interrupted. */
export class LabInterruptedError extends LabCommandError {
  override readonly name: string = 'LabInterruptedError'
}
