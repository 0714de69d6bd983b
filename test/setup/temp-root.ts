/**
 * Every test's temp folders (labs, plan copies, stand-in shells) go under one folder per run,
 * removed at the end: a test run used to leave a few hundred folders in the system's temp
 * directory. Workers and the CLI processes they start inherit TMPDIR, which os.tmpdir() reads.
 * CUTOVER_KEEP_TMP=1 keeps the folder, to look at what a failed test left.
 *
 * The folder is on /dev/shm when that is a tmpfs one may write and execute in, else in the
 * system's temp directory (CUTOVER_TEST_TMP=<dir> chooses): a lab run fsyncs its state, journal,
 * backups and stores, and on this machine's disk those fsyncs were about 60% of its time (1.5 s
 * instead of 0.6 s). The tests kill processes; they never cut the power, so what they check of
 * durability holds the same on a tmpfs, where the same fsync calls are made and return at once.
 *
 * Each vitest project lists this setup; the first to run creates the folder and the others
 * reuse it, so a run of all projects still leaves one folder to keep or remove.
 */
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const SHM = '/dev/shm'

/** Whether /dev/shm is a tmpfs mounted without noexec (stand-in shells run from the temp folder). */
function shmUsable(): boolean {
  try {
    const mount = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')).find((f) => f[1] === SHM)
    if (mount?.[2] !== 'tmpfs' || (mount[3] ?? '').split(',').includes('noexec')) return false
    accessSync(SHM, constants.W_OK | constants.X_OK)
    return true
  } catch {
    return false
  }
}

function base(): string {
  const asked = process.env.CUTOVER_TEST_TMP
  if (asked !== undefined && asked !== '') return asked
  return shmUsable() ? SHM : tmpdir()
}

export default function setup(): () => void {
  if (process.env.CUTOVER_TESTS_TMP !== undefined) return () => undefined
  const root = mkdtempSync(join(base(), 'cutover-tests-'))
  process.env.TMPDIR = root
  process.env.CUTOVER_TESTS_TMP = root
  return () => {
    delete process.env.CUTOVER_TESTS_TMP
    if (process.env.CUTOVER_KEEP_TMP === '1') console.info(`cutover tests: temp folders kept in ${root}`)
    else rmSync(root, { recursive: true, force: true })
  }
}
