/**
 * `lab init` and the plans that ran on the lab it replaces. Re-creating a lab under a plan whose
 * state says "done" would leave that plan done over an empty store, and doing it under a running
 * apply would pull the stores from under it. So lab init finds the plans of this lab (the plan
 * files in the folder above the lab's `.cutover/` whose shell is lab and whose workDir is this
 * lab: plans/lab.yaml for plans/.cutover/lab), takes each one's lock (refusing, exit 4, while an
 * apply holds one) and moves its state and journal aside.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { validatePlanText } from '../plan/load.js'
import { planStepIds } from './open-plan.js'
import { runtimeOf } from '../runtimes/index.js'
import { FileStateStore, fileStatePaths } from '../state/file-store.js'
import { thisProcessHolder } from '../state/holder.js'
import type { Lock } from '../state/types.js'

/** A plan that runs on a lab, and where its file state lives. */
export interface LabPlan {
  readonly name: string
  readonly file: string
  readonly stateDir: string
}

/** The plans of the lab in `labDir`: valid plan files beside the `.cutover/` folder holding it
 * (or beside the lab folder itself) with `shell: lab`, the file state backend and this lab as
 * their workDir. */
export function plansOfLab(labDir: string): LabPlan[] {
  const lab = resolve(labDir)
  const folders = [...new Set([dirname(dirname(lab)), dirname(lab)])]
  return folders.flatMap((folder) => {
    if (!existsSync(folder)) return []
    return readdirSync(folder).filter((f) => /\.ya?ml$/.test(f)).flatMap((f): LabPlan[] => {
      const file = join(folder, f)
      let plan
      try {
        plan = validatePlanText(readFileSync(file, 'utf8'), file, planStepIds).plan
      } catch {
        return []
      }
      if (plan === undefined || !runtimeOf(plan.environment.shell).emulator || plan.state.backend !== 'file') return []
      if (resolve(folder, plan.environment.workDir) !== lab) return []
      return [{ name: plan.name, file, stateDir: join(folder, '.cutover') }]
    })
  })
}

/** Runs `work` holding the lock of every plan of the lab; a LockedError (exit 4) names the apply
 * that holds one, and nothing is done then. */
export async function withLabPlanLocks<T>(plans: readonly LabPlan[], command: string, work: () => Promise<T>): Promise<T> {
  const locks: Lock[] = []
  try {
    for (const p of plans) locks.push(await new FileStateStore(p.stateDir, p.name).acquireLock(thisProcessHolder(command)))
    return await work()
  } finally {
    for (const lock of locks.reverse()) await lock.release()
  }
}

/** Moves a plan's state, its backup and its journal (and its artifacts, unless they are the lab
 * folder itself) into `<name>.before-lab-init-<stamp>/`; returns that folder, or undefined when
 * there was nothing to move. The lock file stays: its holder (this process) removes it. */
export function setPlanStateAside(p: LabPlan, labDir: string, stamp: string): string | undefined {
  const paths = fileStatePaths(p.stateDir, p.name)
  const moving = [paths.state, paths.backup, paths.journal, ...(resolve(paths.artifacts) === resolve(labDir) ? [] : [paths.artifacts])].filter((f) => existsSync(f))
  if (moving.length === 0) return undefined
  const aside = join(paths.dir, `${p.name}.before-lab-init-${stamp}`)
  mkdirSync(aside, { recursive: true })
  for (const f of moving) renameSync(f, join(aside, f.slice(paths.dir.length + 1)))
  return aside
}
