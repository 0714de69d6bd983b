/**
 * Crash injection for lab runs: `CUTOVER_CRASH_AT=<step id>:<running|done>` kills the process
 * (SIGKILL, as a power cut would) right after that checkpoint is durable. The crash tests use it
 * to prove that a run killed anywhere resumes without repeating finished work. Honoured only with
 * `environment.shell: lab`, so a stray variable can never kill a real migration.
 */
export const CRASH_ENV = 'CUTOVER_CRASH_AT'

export function crashPoint(value: string | undefined): ((stepId: string, status: 'running' | 'done') => void) | undefined {
  if (value === undefined || value === '') return undefined
  const m = /^(.+):(running|done)$/.exec(value)
  if (m === null) throw new Error(`${CRASH_ENV} must be <step id>:running or <step id>:done (got '${value}')`)
  const [, stepId, status] = m
  return (id, at) => {
    if (id === stepId && at === status) process.kill(process.pid, 'SIGKILL')
  }
}
