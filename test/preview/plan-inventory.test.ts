/**
 * `cutover plan --inventory`: the stores read now (here the lab's SQLite stores), so the preview
 * is exact before any run, with the preflight lint; nothing is written.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Preview } from '../../runner/compile/preview.js'
import { ROOT, runCli } from '../helpers/cli.js'
import { labCase } from '../helpers/lab.js'

const exportAction = (p: Preview) => p.steps.find((s) => s.id === 'cutover.export.gc2010')?.actions[0]

describe('cutover plan --inventory', () => {
  it('reads the lab stores: the export gets its exact -Scope, the lint is shown, and no state is written', async () => {
    const c = await labCase()
    const before = JSON.parse((await runCli(['plan', c.planFile, '--format', 'json'])).stdout) as Preview
    // Without an inventory the preview cannot name the categories to export.
    expect(exportAction(before)?.type).toBe('note')
    expect(before.lint).toBeUndefined()

    const r = await runCli(['plan', c.planFile, '--format', 'json', '--inventory'])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('cutover: reading the inventory of gc2010 (read-only)')
    const p = JSON.parse(r.stdout) as Preview
    const action = exportAction(p)
    expect(action?.type).toBe('commands')
    expect(action?.script).toContain('-Scope @(')
    expect(action?.script).not.toMatch(/-Scope @\([^)]*'Archive'/)
    // The lab holds federated members and unprovisioned principals: the lint says so.
    expect(p.lint?.map((f) => f.rule)).toEqual(expect.arrayContaining(['federated-members']))
    expect(p.steps.find((s) => s.id === 'cutover.export.gc2010')?.forecast?.basis).toBe('inventory')
    expect(existsSync(join(c.dir, '.cutover', 'lab.state.json'))).toBe(false)

    const text = await runCli(['plan', c.planFile, '--inventory'])
    expect(text.stdout).toMatch(/preflight lint of the stores as they are now: \d+ finding\(s\)/)
    expect(text.stdout).toMatch(/^ {2}warning: \[federated-members\]/m)
  })

  it('on a real plan, names the unset connection variable in one line and exits 1', async () => {
    const r = await runCli(['plan', join(ROOT, 'plans', 'contoso-lync2010.yaml'), '--inventory'], { env: { GC_SQL: '' } })
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('environment variable GC_SQL is not set (the plan refers to ${env:GC_SQL})')
  })
})
