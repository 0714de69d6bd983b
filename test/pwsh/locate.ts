/**
 * Where the real PowerShell is, for the suites that run it. `.ci/run` installs PowerShell 7.6.9 as
 * a .NET global tool (~/.dotnet/tools/pwsh); an admin may point CUTOVER_TEST_PWSH at another pwsh
 * or at powershell.exe. Without one the suites skip and say why; under CI=true a missing pwsh is a
 * failure, since CI installs it and a silent skip would hide that nothing ran.
 */
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { delimiter, join } from 'node:path'
import { it } from 'vitest'

export type PwshLookup = { readonly found: true; readonly path: string } | { readonly found: false; readonly reason: string }

const INSTALL = 'install it with `dotnet tool install --global PowerShell --version 7.6.9` (or set CUTOVER_TEST_PWSH to a pwsh or powershell executable)'

/** The first of CUTOVER_TEST_PWSH, ~/.dotnet/tools/pwsh, pwsh on PATH that exists. */
export function locatePwsh(env: NodeJS.ProcessEnv = process.env): PwshLookup {
  const chosen = env.CUTOVER_TEST_PWSH
  if (chosen !== undefined && chosen !== '') {
    return existsSync(chosen) ? { found: true, path: chosen } : { found: false, reason: `CUTOVER_TEST_PWSH=${chosen} does not exist` }
  }
  const candidates = [join(homedir(), '.dotnet', 'tools', 'pwsh'), ...(env.PATH ?? '').split(delimiter).filter((d) => d !== '').map((d) => join(d, 'pwsh'))]
  const path = candidates.find((p) => existsSync(p))
  return path === undefined ? { found: false, reason: `no pwsh in ~/.dotnet/tools or on PATH: ${INSTALL}` } : { found: true, path }
}

/**
 * The pwsh a suite runs, or undefined after registering, in the calling describe block, the test
 * that says why it cannot: skipped on a developer's machine, failing under CI=true.
 */
export function pwshForSuite(suite: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const lookup = locatePwsh(env)
  if (lookup.found) return lookup.path
  missingTool(suite, 'pwsh', lookup.reason, env)
  return undefined
}

/** Registers, in the calling describe block, the test that says a tool is missing: skipped on a
 * developer's machine, failing under CI=true (CI installs every tool these suites need). */
export function missingTool(suite: string, tool: string, reason: string, env: NodeJS.ProcessEnv = process.env): void {
  const message = `${suite}: ${reason}`
  if (env.CI === 'true') {
    it(`needs ${tool} (CI=true: a missing ${tool} fails) — ${reason}`, () => {
      throw new Error(message)
    })
  } else {
    console.warn(`${message}; skipped`)
    it.skip(`skipped: ${reason}`, () => undefined)
  }
}
