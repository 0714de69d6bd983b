/**
 * An artifact a later step needs (the frozen inventory) that is not on this machine: with a shared
 * SQL Server state, another admin's machine may have run that step. The run stops with one line
 * naming the file and what to do, and nothing after it runs.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { labCase } from '../helpers/lab.js'

describe('a missing artifact', () => {
  it('stops the step that needs it with one line naming the file and where it comes from', async () => {
    const c = await labCase()
    expect((await runCli(['apply', c.planFile, '--yes', '--quiet', '--until', 'cutover.inventory.gc2010'])).code).toBe(3)
    rmSync(join(c.labDir, 'inventory', 'cutover.inventory.gc2010.json'))
    const r = await runCli(['apply', c.planFile, '--yes', '--quiet'])
    expect(r.code).toBe(1)
    expect(r.stderr.split('\n')[0]).toBe(`cutover: error: cutover.export.gc2010 failed: inventory/cutover.inventory.gc2010.json (from cutover.inventory.gc2010) is not in ${c.labDir}: it is written on the machine that ran that step; copy that machine's artifacts folder (.cutover/<plan name>/ beside the plan) here, then apply again`)
    const status = JSON.parse((await runCli(['status', c.planFile, '--json'])).stdout) as { steps: { id: string; status: string }[] }
    expect(status.steps.find((s) => s.id === 'cutover.export.gc2010')?.status).toBe('failed')
    expect(status.steps.find((s) => s.id === 'cutover.import.gc2010')?.status).toBe('pending')
  })
})
