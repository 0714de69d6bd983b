/**
 * Hand-written structural checks of what the stores read back. They name the exact field that is
 * wrong, because the admin reading the message has a text editor, not a debugger.
 */
import { STEP_STATUSES } from './types.js'
import type { LockHolder, RunState } from './types.js'

type Problems = string[]

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function show(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value)
}

function requireString(obj: Record<string, unknown>, key: string, at: string, problems: Problems): void {
  if (typeof obj[key] !== 'string') problems.push(`${at}${key} must be a string (is ${show(obj[key])})`)
}

function optionalString(obj: Record<string, unknown>, key: string, at: string, problems: Problems): void {
  if (obj[key] !== undefined && typeof obj[key] !== 'string') problems.push(`${at}${key} must be a string (is ${show(obj[key])})`)
}

function requireInstant(obj: Record<string, unknown>, key: string, at: string, problems: Problems, optional = false): void {
  const value = obj[key]
  if (value === undefined && optional) return
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    problems.push(`${at}${key} must be an ISO 8601 date-time (is ${show(value)})`)
  }
}

function checkStep(key: string, step: unknown, problems: Problems, field = 'steps'): void {
  const at = `${field}[${JSON.stringify(key)}].`
  if (!isObject(step)) {
    problems.push(`${at.slice(0, -1)} must be an object (is ${show(step)})`)
    return
  }
  if (step.id !== key) problems.push(`${at}id must repeat its key ${JSON.stringify(key)} (is ${show(step.id)})`)
  if (!(STEP_STATUSES as readonly unknown[]).includes(step.status)) {
    problems.push(`${at}status must be one of ${STEP_STATUSES.join(', ')} (is ${show(step.status)})`)
  }
  requireString(step, 'fingerprint', at, problems)
  optionalString(step, 'kind', at, problems)
  if (!Number.isInteger(step.attempts) || (step.attempts as number) < 0) {
    problems.push(`${at}attempts must be a whole number >= 0 (is ${show(step.attempts)})`)
  }
  // Each status has the fields its shape promises (state/types.ts, StepRecord).
  requireInstant(step, 'startedAt', at, problems, step.status !== 'running')
  requireInstant(step, 'endedAt', at, problems, step.status !== 'done' && step.status !== 'failed')
  requireInstant(step, 'approvedAt', at, problems, true)
  if (step.status === 'failed') requireString(step, 'error', at, problems)
  else optionalString(step, 'error', at, problems)
  optionalString(step, 'approvedBy', at, problems)
  optionalString(step, 'resolvedBy', at, problems)
  if (step.resolvedFrom !== undefined && step.resolvedFrom !== 'running' && step.resolvedFrom !== 'failed') problems.push(`${at}resolvedFrom must be "running" or "failed" (is ${show(step.resolvedFrom)})`)
  optionalString(step, 'approvalNote', at, problems)
  if (step.preApproval !== undefined) {
    if (!isObject(step.preApproval)) problems.push(`${at}preApproval must be an object (is ${show(step.preApproval)})`)
    else {
      requireString(step.preApproval, 'by', `${at}preApproval.`, problems)
      requireInstant(step.preApproval, 'at', `${at}preApproval.`, problems)
      optionalString(step.preApproval, 'note', `${at}preApproval.`, problems)
    }
  }
  if (step.outputs !== undefined && !isObject(step.outputs)) problems.push(`${at}outputs must be an object (is ${show(step.outputs)})`)
}

/** Lists what keeps `value` from being a RunState of format 1; empty when it is one. The format
 * version is checked first and alone: a newer format may legitimately look different. */
export function runStateProblems(value: unknown): string[] {
  if (!isObject(value)) return [`the top level must be an object (is ${Array.isArray(value) ? 'an array' : show(value)})`]
  if (value.formatVersion !== 1) return [`formatVersion must be 1 (is ${show(value.formatVersion)})`]
  const problems: Problems = []
  if (!isObject(value.plan)) problems.push(`plan must be an object (is ${show(value.plan)})`)
  else {
    requireString(value.plan, 'name', 'plan.', problems)
    requireString(value.plan, 'hash', 'plan.', problems)
    optionalString(value.plan, 'commit', 'plan.', problems)
    if (value.plan.commitSource !== undefined && value.plan.commitSource !== 'git' && value.plan.commitSource !== 'operator') problems.push(`plan.commitSource must be "git" or "operator" (is ${show(value.plan.commitSource)})`)
  }
  if (!isObject(value.steps)) problems.push(`steps must be an object keyed by step id (is ${show(value.steps)})`)
  else for (const [key, step] of Object.entries(value.steps)) checkStep(key, step, problems)
  if (value.retired !== undefined) {
    if (!isObject(value.retired)) problems.push(`retired must be an object keyed by step id (is ${show(value.retired)})`)
    else for (const [key, step] of Object.entries(value.retired)) checkStep(key, step, problems, 'retired')
  }
  requireInstant(value, 'createdAt', '', problems)
  requireInstant(value, 'updatedAt', '', problems)
  return problems
}

/** Narrows after runStateProblems found nothing. */
export function isRunState(value: unknown): value is RunState {
  return runStateProblems(value).length === 0
}

/** Lists what keeps `value` from being a JournalEntry; empty when it is one. */
export function journalEntryProblems(value: unknown): string[] {
  if (!isObject(value)) return [`must be an object (is ${show(value)})`]
  const problems: Problems = []
  requireInstant(value, 'at', '', problems)
  for (const key of ['who', 'host', 'event']) requireString(value, key, '', problems)
  if (!Number.isInteger(value.pid)) problems.push(`pid must be a whole number (is ${show(value.pid)})`)
  optionalString(value, 'step', '', problems)
  optionalString(value, 'outcome', '', problems)
  if (value.detail !== undefined && !isObject(value.detail)) problems.push(`detail must be an object (is ${show(value.detail)})`)
  return problems
}

/** Lists what keeps `value` from being a LockHolder; the pid must be positive, because
 * `process.kill(0 or -n, 0)` would probe a whole process group instead of one process. */
export function lockHolderProblems(value: unknown): string[] {
  if (!isObject(value)) return [`must be an object (is ${show(value)})`]
  const problems: Problems = []
  for (const key of ['host', 'startedAt', 'user', 'command']) requireString(value, key, '', problems)
  if (!Number.isInteger(value.pid) || (value.pid as number) <= 0) problems.push(`pid must be a positive whole number (is ${show(value.pid)})`)
  optionalString(value, 'processStart', '', problems)
  optionalString(value, 'commandLine', '', problems)
  return problems
}

/** The holder fields of a parsed lock file, without anything else it carries. */
export function pickHolder(value: LockHolder): LockHolder {
  return {
    host: value.host, pid: value.pid, startedAt: value.startedAt, user: value.user, command: value.command,
    ...(value.processStart === undefined ? {} : { processStart: value.processStart }),
    ...(value.commandLine === undefined ? {} : { commandLine: value.commandLine }),
  }
}

/** Lists problems as one sentence fragment, at most `max` of them. */
export function describeProblems(problems: readonly string[], max = 5): string {
  const shown = problems.slice(0, max).join('; ')
  return problems.length > max ? `${shown}; and ${problems.length - max} more` : shown
}
