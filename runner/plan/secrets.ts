import { CutoverError, EXIT } from '../core/errors.js'
import { ENV_REF } from './rules/secrets.js'

export class MissingSecretError extends CutoverError {
  override readonly name = 'MissingSecretError'
  readonly exitCode = EXIT.failed
}

/**
 * Resolves `${env:NAME}` at run time and remembers every value it handed out, so that whatever
 * the run writes (logs, journal, state, reports, error messages) can be scrubbed of them.
 */
export class Secrets {
  private readonly values = new Set<string>()

  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  /** The text with every `${env:NAME}` replaced by the variable's value; throws naming the
   * variable (never a value) when one is unset. */
  resolve(text: string): string {
    return text.replace(ENV_REF, (_, name: string) => {
      const value = this.env[name]
      if (value === undefined || value === '') throw new MissingSecretError(`environment variable ${name} is not set (the plan refers to \${env:${name}})`)
      if (value.length >= 4) this.values.add(value)
      return value
    })
  }

  /** The text with every resolved secret replaced by `***`. */
  redact(text: string): string {
    let out = text
    for (const v of this.values) out = out.split(v).join('***')
    return out
  }
}
