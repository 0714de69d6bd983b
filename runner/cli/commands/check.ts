import { UsageError, EXIT } from '../../core/errors.js'
import type { ExitCode } from '../../core/errors.js'
import { Secrets } from '../../plan/secrets.js'
import { isStepOf } from '../../steps/define.js'
import { checkReadiness, formatReadiness, readinessKind } from '../../steps/kinds/readiness.js'
import type { DoneOnPurpose } from '../../steps/kinds/readiness.js'
import { lookupAccountKind } from '../../steps/kinds/lookup-account.js'
import { removeTrustedApplicationKind } from '../../steps/kinds/remove-trusted-application.js'
import type { Step } from '../../core/step.js'
import type { RunState } from '../../state/types.js'
import { parseCommandArgs } from '../args.js'
import { openPlanOnly } from '../open-plan.js'
import type { Output } from '../output.js'
import { runtimeFor } from '../run-setup.js'

export const usage = `usage: cutover check <plan.yaml> [--json] [--verbose]

The readiness check, on its own, before the window: read-only, against the real servers (or
the lab). It runs what the first preflight step (preflight.readiness) runs: the Persistent Chat
pool and its services in the topology, the Lookup Server accounts, the legacy pools in this
deployment (same forest), every service name on its server, WinRM (Test-WSMan) on every machine
reached through Invoke-Command, the backup folders and their free space, the SQL logins'
permissions, the groups of the account the scripts run as, and the remoting second hops. One
line per problem, with what to run. Records nothing in the state. After the cutover, what its
done steps removed on purpose (the Lookup Server account, a legacy pool) is a note, not a problem.
  --json      the findings as JSON: [{"check", "problem", "fix"}]
  --verbose   also print every command's output (to standard error)
Exit 0 ready, 1 problems found (or invalid plan), 2 usage.`

/** What the recorded run has done on purpose that the check would otherwise report missing: the
 * Lookup Server accounts of done lookup-account steps, the pools of done remove-trusted-application
 * steps. */
function doneOnPurpose(steps: readonly Step[], state: RunState | undefined): DoneOnPurpose {
  const lookupDisabled = new Map<string, string>()
  const poolsRemoved = new Map<string, string>()
  for (const s of steps) {
    if (state?.steps[s.id]?.status !== 'done') continue
    if (isStepOf(lookupAccountKind, s)) lookupDisabled.set(s.input.sipAddress, s.id)
    if (isStepOf(removeTrustedApplicationKind, s)) poolsRemoved.set(s.input.pool, s.id)
  }
  return { lookupDisabled, poolsRemoved }
}

export async function run(argv: readonly string[], out: Output): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('check', argv, { json: { type: 'boolean' }, verbose: { type: 'boolean' } })
  const [file] = positionals
  if (file === undefined || positionals.length > 1) throw new UsageError('check: name one plan file, e.g. cutover check plans/lab.yaml')
  const open = await openPlanOnly(file, out, 'check')
  const step = open.steps.find((s) => isStepOf(readinessKind, s))
  if (step === undefined || !isStepOf(readinessKind, step)) throw new Error('cutover: the plan compiled without its readiness step')
  const secrets = new Secrets(process.env)
  // After the cutover, what it did on purpose is not a problem (a SQL Server state is not read here).
  const done = doneOnPurpose(open.steps, open.stateReadable ? await open.store.load() : undefined)
  const runtime = await runtimeFor(open, out, secrets, { readOnly: true })
  out.stderr(`cutover: checking ${open.plan.name} (read-only) through ${runtime.host.name}`)
  let findings
  try {
    findings = await checkReadiness(step.input, {
      host: runtime.host,
      sql: (s) => runtime.sql(s),
      log: (line) => {
        if (values.verbose === true) out.stderr(secrets.redact(line))
      },
      done: { ...done, note: (line) => out.stderr(`cutover: ${secrets.redact(line)}`) },
    })
  } finally {
    await runtime.close()
  }
  if (values.json === true) out.stdout(JSON.stringify(findings, null, 2))
  else {
    for (const f of findings) out.stdout(secrets.redact(formatReadiness(f)))
    out.stdout(findings.length === 0 ? `${file}: ready (nothing found)` : `${file}: ${findings.length} problem${findings.length === 1 ? '' : 's'} found`)
  }
  return findings.length === 0 ? EXIT.ok : EXIT.failed
}
