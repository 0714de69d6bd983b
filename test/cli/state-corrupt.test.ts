import { readFileSync, writeFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { cutover, filesOf, lines, newCase, snapshot } from '../helpers/case-files.js'
import type { LabCase } from '../helpers/lab.js'

// Every command that reads the state; each must refuse a damaged one rather than start from zero.
const COMMANDS: readonly (readonly string[])[] = [
  ['apply', 'plan.yaml', '--yes'],
  ['apply', 'plan.yaml', '--yes', '--json'],
  ['status', 'plan.yaml'],
  ['status', 'plan.yaml', '--json'],
  ['approve', 'plan.yaml', 'post.report', '--by', 'alice'],
  ['resolve', 'plan.yaml', 'prepare.workdir', '--retry'],
  ['rollback', 'plan.yaml', '--yes'],
]

const DAMAGE: Readonly<Record<string, (text: string) => string>> = {
  'cut in half': (t) => t.slice(0, Math.floor(t.length / 2)),
  'not JSON': (t) => t.replace('"formatVersion": 1,', '"formatVersion": 1,, oops'),
  'empty': () => '',
}

describe('a damaged state file (child process)', () => {
  let c: LabCase
  let good: string

  beforeAll(async () => {
    c = await newCase()
    const r = await cutover(c, ['apply', 'plan.yaml', '--yes', '--quiet', '--until', 'cutover.stop-legacy.gc2010'])
    expect(r.code).toBe(3)
    good = readFileSync(filesOf(c).state, 'utf8')
  })

  for (const [damage, damageIt] of Object.entries(DAMAGE)) {
    it.each(COMMANDS.map((args) => [args.join(' '), args] as const))(`${damage}: cutover %s exits 1 with one line naming the file, and changes nothing`, async (_name, args) => {
      const f = filesOf(c)
      writeFileSync(f.state, damageIt(good))
      const before = snapshot(c)
      const r = await cutover(c, args)
      expect(r.code).toBe(1)
      const err = lines(r.stderr)
      expect(err).toHaveLength(1)
      expect(err[0]?.startsWith(`cutover: error: ${f.state}: `)).toBe(true)
      expect(err[0]).toContain('will not start the migration over from zero')
      expect(r.stdout).not.toMatch(/✔|step-start|step-done/)
      // Nothing ran, nothing was rewritten: not the state, its backup, the journal, the lock or the lab.
      expect(snapshot(c)).toEqual(before)
    })
  }
})
