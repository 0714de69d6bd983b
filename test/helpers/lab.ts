import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLab } from '../../runner/lab/index.js'
import { ROOT } from './cli.js'

export interface LabCase {
  /** Folder holding plan.yaml and, in .cutover/lab, the lab emulator. */
  readonly dir: string
  readonly planFile: string
  readonly labDir: string
}

/** A freshly generated lab (seed 1) in a temp folder, to copy from. */
export async function labTemplate(rooms: number, messages: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-labtpl-'))
  await createLab({ dir, rooms, messages, seed: 1 })
  return dir
}

const templates = new Map<string, Promise<string>>()

/** A lab (once per size per test file), copied for each case: generating one costs more than copying. */
function template(rooms: number, messages: number): Promise<string> {
  const key = `${rooms}/${messages}`
  let t = templates.get(key)
  if (t === undefined) {
    t = labTemplate(rooms, messages)
    templates.set(key, t)
  }
  return t
}

/** A fresh copy of plans/lab.yaml (optionally edited) next to a fresh small lab, in a temp folder.
 * `template`: a lab generated with these rooms and messages elsewhere (the crash project's
 * setup makes one per run), copied instead of generating one for this test file. */
export async function labCase(opts: { rooms?: number; messages?: number; template?: string; edit?: (planText: string) => string } = {}): Promise<LabCase> {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-case-'))
  const labDir = join(dir, '.cutover', 'lab')
  cpSync(opts.template ?? await template(opts.rooms ?? 16, opts.messages ?? 3000), labDir, { recursive: true })
  const text = readFileSync(join(ROOT, 'plans', 'lab.yaml'), 'utf8')
  const planFile = join(dir, 'plan.yaml')
  writeFileSync(planFile, opts.edit === undefined ? text : opts.edit(text))
  return { dir, planFile, labDir }
}
