/**
 * Every test's temp folders (labs, plan copies, stand-in shells) go under one folder per run,
 * removed at the end: a test run used to leave a few hundred folders in the system's temp
 * directory. Workers and the CLI processes they start inherit TMPDIR, which os.tmpdir() reads.
 * CUTOVER_KEEP_TMP=1 keeps the folder, to look at what a failed test left.
 *
 * Each vitest project lists this setup; the first to run creates the folder and the others
 * reuse it, so a run of all projects still leaves one folder to keep or remove.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export default function setup(): () => void {
  if (process.env.CUTOVER_TESTS_TMP !== undefined) return () => undefined
  const root = mkdtempSync(join(tmpdir(), 'cutover-tests-'))
  process.env.TMPDIR = root
  process.env.CUTOVER_TESTS_TMP = root
  return () => {
    delete process.env.CUTOVER_TESTS_TMP
    if (process.env.CUTOVER_KEEP_TMP === '1') console.info(`cutover tests: temp folders kept in ${root}`)
    else rmSync(root, { recursive: true, force: true })
  }
}
