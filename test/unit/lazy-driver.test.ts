/**
 * The SQL Server driver (mssql, tedious) costs about 0.3 s to load: the lab, the preview and
 * validate must not pay for it. Checked in a fresh Node process on the built modules.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/cli.js'

function driverModulesAfter(modules: readonly string[]): number {
  const script = `
    for (const m of ${JSON.stringify(modules.map((m) => join(ROOT, 'dist', m)))}) await import(m)
    const { default: Module } = await import('node:module')
    console.log(Object.keys(Module._cache).filter((k) => /node_modules[\\\\/](mssql|tedious)[\\\\/]/.test(k)).length)`
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(r.stderr)
  return Number(r.stdout.trim())
}

describe('the SQL Server driver is loaded only when a store on SQL Server is read', () => {
  it('not by the commands, the step kinds, the preview or the lab runtime', () => {
    expect(driverModulesAfter([
      'runner/cli/commands/apply.js', 'runner/cli/commands/plan.js', 'runner/cli/commands/validate.js', 'runner/cli/commands/report.js',
      'runner/steps/registry.js', 'runner/compile/preview.js', 'runner/runtimes/lab/runtime.js', 'runner/runtimes/index.js', 'runner/cli/run-setup.js',
    ])).toBe(0)
  })

  it('not by validate or plan through the bundle, loaded as bin/cutover.js loads it (with its code cache)', () => {
    // One file: the packages a lazily imported module requires must wait for its first import.
    const script = `
      const { createRequire } = await import('node:module')
      const { main } = createRequire(import.meta.url)(${JSON.stringify(join(ROOT, 'bin', 'boot.js'))}).loadCli()
      const quiet = { stdout: () => {}, stderr: () => {} }
      const plan = ${JSON.stringify(join(ROOT, 'plans', 'contoso-lync2010.yaml'))}
      const codes = [await main(['validate', plan], quiet)]
      const { default: Module } = await import('node:module')
      const loaded = (re) => Object.keys(Module._cache).some((k) => re.test(k))
      const afterValidate = ['mssql', 'better-sqlite3', 'yaml'].filter((p) => loaded(new RegExp('node_modules[\\\\/]' + p + '[\\\\/]')))
      // What validate does load from node_modules, so the check above sees the bundle's packages.
      const formatsForValidate = loaded(/node_modules[\\/]ajv-formats[\\/]/)
      codes.push(await main(['plan', plan, '--out', ${JSON.stringify(join(mkdtempSync(join(tmpdir(), 'cutover-lazy-')), 'plan.txt'))}], quiet))
      console.log(JSON.stringify({ codes, afterValidate, formatsForValidate, driver: loaded(/node_modules[\\/](mssql|tedious)[\\/]/) }))`
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(r.stderr)
    expect(JSON.parse(r.stdout)).toEqual({ codes: [0, 0], afterValidate: [], formatsForValidate: true, driver: false })
  })

  it('by the SQL Server client itself (so the count above means something)', () => {
    expect(driverModulesAfter(['runner/sql/mssql.js'])).toBeGreaterThan(0)
  })
})
