import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { sipDomainOf } from '../../steps/kinds/inventory.js'
import { RefusedError } from '../../engine/errors.js'
import { Secrets } from '../../plan/secrets.js'
import { UsageError } from '../../core/errors.js'
import { connectionFacts } from '../../init/connection-string.js'
import { connectionStoreFacts } from '../../init/facts.js'
import { labFacts } from '../../runtimes/lab/init-facts.js'
import type { StoreFacts } from '../../init/facts.js'
import { gitignoreChange, IGNORE_LINE } from '../../init/gitignore.js'
import { flaggedRooms } from '../../init/decisions.js'
import { initPlan } from '../../init/plan-text.js'
import { DEFAULT_CONNECTION_VARIABLE, parseSourceSpec } from '../../init/source-spec.js'
import type { SourceSpec } from '../../init/source-spec.js'
import { LabError, readWorld, worldFile } from '../../lab/index.js'
import { countBySeverity, formatFinding } from '../../plan/findings.js'
import { validatePlanText } from '../../plan/load.js'
import { planStepIds } from '../open-plan.js'
import { closest, readPlanSchema, schemaPath } from '../../plan/schema.js'
import { isValidTimeZone } from '../../core/time.js'
import { SIP_URI } from '../../plan/rules/addresses.js'
import { PRODUCTS } from '../../plan/types.js'
import type { Product, Shell } from '../../plan/types.js'
import { LAB_SHELL, runtimeOf } from '../../runtimes/index.js'
import type { SqlClient } from '../../core/sql-client.js'
import type { Inventory } from '../../sql/inventory.js'
import { takeInventory } from '../../sql/inventory.js'
import { openSqliteClient } from '../../sql/sqlite.js'
import { oneOf, parseCommandArgs } from '../args.js'
import { EXIT } from '../../core/errors.js'
import type { ExitCode } from '../../core/errors.js'
import type { Output } from '../output.js'
import { runChange } from '../lifecycle.js'

export const usage = `usage: cutover init --source SOURCE [--product lync2010-groupchat|ocs2007r2-groupchat]
                    [--id gc2010] [--name NAME] [--lookup-account SIP] [--timezone ZONE] [--out FILE] [--force]

Writes a starting plan from a legacy Group Chat store's inventory: the source as far as the store
tells it, every category with the name it gets once flattened, the rooms the preflight lint flags
(each with why), and a downtime window placeholder sized from the forecast. What the store cannot
tell is a placeholder that validates, marked TODO(admin). Reads the store, never writes to it.

SOURCE   lab | lab:<dir>   the embedded lab emulator's store (default plans/.cutover/lab); the
                           plan then runs on the lab as written
         '\${env:NAME}'     a variable holding the store's ADO.NET connection string (the plan
                           refers to it as written; quote it so the shell leaves it alone)
         'Server=...'      a connection string; the plan says \${env:${DEFAULT_CONNECTION_VARIABLE}} instead
--id        the source's id (default gc2010)      --name      the plan's name (default <id>-migration)
--lookup-account  the legacy Lookup Server account (sip:ocschat@contoso.com): the plan's
            lookupAccount and legacyClients.endpoint, and the SIP domain that tells federated
            members apart (without it, a placeholder, and no federation finding)
--timezone  IANA zone of the window (default: this machine's)
--out FILE  write the plan there, and a .gitignore beside it that keeps .cutover/ out of git;
            without --out the plan goes to stdout. An existing file is replaced only with --force.`

interface PatternRule { readonly pattern: string; readonly patternHint: string }
interface PlanSchemaShape {
  readonly properties: { readonly name: PatternRule }
  readonly $defs: { readonly source: { readonly properties: { readonly id: PatternRule } } }
}

/** The schema's own pattern, so that init refuses at once what validate would refuse later. */
function checked(option: string, value: string, rule: PatternRule): string {
  if (new RegExp(rule.pattern).test(value)) return value
  throw new UsageError(`init: --${option} '${value}' is not valid: ${rule.patternHint}`)
}

function timeZoneOf(option: string | undefined): string {
  if (option !== undefined) {
    if (isValidTimeZone(option)) return option
    const guess = closest(option, Intl.supportedValuesOf('timeZone'))
    throw new UsageError(`init: --timezone '${option}' is not an IANA time zone${guess === undefined ? ' (e.g. America/New_York)' : ` (did you mean '${guess}'?)`}`)
  }
  const machine = Intl.DateTimeFormat().resolvedOptions().timeZone
  return machine !== undefined && isValidTimeZone(machine) ? machine : 'UTC'
}

interface Read {
  readonly facts: StoreFacts
  readonly inventory: Inventory
  readonly targetInventory?: Inventory
  readonly origin: string
  readonly shell: Shell
  readonly workDir?: string
}

export function run(argv: readonly string[], out: Output): Promise<ExitCode> {
  // Reading a store can take a while: Ctrl-C before the plan is written writes nothing.
  return runChange({ name: 'init', out, work: (signal) => writePlan(argv, out, signal) })
}

async function writePlan(argv: readonly string[], out: Output, signal: AbortSignal): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('init', argv, {
    source: { type: 'string' }, product: { type: 'string' }, id: { type: 'string' }, name: { type: 'string' },
    out: { type: 'string' }, force: { type: 'boolean' }, timezone: { type: 'string' }, 'lookup-account': { type: 'string' },
  })
  if (positionals.length > 0) throw new UsageError(`init: unexpected argument '${positionals[0] ?? ''}'; name the store with --source`)
  if (values.source === undefined || values.source.trim() === '') throw new UsageError('init: name the legacy store with --source: lab, lab:<dir>, or a connection string (\'${env:NAME}\' keeps it out of the shell history)')
  const schema = readPlanSchema() as PlanSchemaShape
  const product = oneOf('init', 'product', values.product, PRODUCTS, 'lync2010-groupchat')
  const id = checked('id', values.id ?? 'gc2010', schema.$defs.source.properties.id)
  const name = checked('name', values.name ?? `${id}-migration`, schema.properties.name)
  const timezone = timeZoneOf(values.timezone)
  const lookupAccount = values['lookup-account']
  if (lookupAccount !== undefined && !SIP_URI.test(lookupAccount)) throw new UsageError(`init: --lookup-account '${lookupAccount}' is not a SIP address; write it as sip:user@domain, e.g. sip:ocschat@contoso.com`)
  const outFile = values.out
  if (outFile !== undefined && values.force !== true && existsSync(outFile)) throw refuseOverwrite(outFile)
  // Relative paths in the plan (the lab's folder, the schema) are relative to where it will live.
  const planDir = outFile === undefined ? process.cwd() : dirname(resolve(outFile))

  const spec = parseSourceSpec(values.source)
  const read = spec.kind === 'lab' ? await readLab(spec.dir, planDir, id, product, out, lookupAccount) : await readStore(spec, id, product, out, lookupAccount)
  const result = initPlan({
    name,
    source: read.facts.source,
    target: read.facts.target,
    environment: { shell: read.shell, ...runtimeOf(read.shell), ...(read.workDir === undefined ? {} : { workDir: read.workDir }) },
    inventory: read.inventory,
    ...(read.targetInventory === undefined ? {} : { targetInventory: read.targetInventory }),
    timezone,
    now: new Date(),
    origin: read.origin,
    schemaPath: slashes(relative(planDir, schemaPath())),
    ...(outFile === undefined ? {} : { planFile: outFile }),
  })
  if (signal.aborted) return EXIT.interrupted
  const shown = outFile ?? '<stdout>'
  const check = validatePlanText(result.text, shown, planStepIds)
  const { errors } = countBySeverity(check.findings)

  if (outFile === undefined) out.stdout(result.text.replace(/\n$/, ''))
  else {
    await mkdir(dirname(resolve(outFile)), { recursive: true })
    try {
      await writeFile(outFile, result.text, { flag: values.force === true ? 'w' : 'wx' })
    } catch (e) {
      // Created between the check above and now: still never overwritten without --force.
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw refuseOverwrite(outFile)
      throw e
    }
  }
  const inv = read.inventory
  const left = result.plan.rooms.categories.filter((c) => !c.export).length
  const d = result.plan.downtime
  out.stderr(`cutover: ${outFile === undefined ? 'plan written to stdout' : `wrote ${outFile}`}: ${inv.totals.categories} categories${left > 0 ? ` (${left} left out of the export)` : ''}, ${inv.totals.rooms} rooms (${flaggedRooms(result.decisions)} flagged: ${result.decisions.rooms.length} in rooms.map, the others in its comments by reason), ${inv.totals.messages} messages; placeholder window ${d.start} to ${d.end} ${d.timezone}; ${result.todos} line(s) marked TODO(admin)`)
  if (spec.kind === 'literal') out.stderr(`cutover: the plan reads the store through \${env:${DEFAULT_CONNECTION_VARIABLE}}: set ${DEFAULT_CONNECTION_VARIABLE} to the connection string you passed (it is not written in the plan)`)
  if (outFile === undefined && read.workDir !== undefined) out.stderr(`cutover: workDir ${read.workDir ?? '.'} is relative to the current folder: save the plan here, or use --out`)
  if (outFile !== undefined) await updateGitignore(dirname(outFile), out)
  if (errors > 0) {
    // A bug of init, not of the admin: show exactly what validate will say.
    for (const f of check.findings) out.stderr(formatFinding(f))
    out.stderr(`cutover: error: the generated plan has ${errors} validation error(s), listed above; please fix them by hand and report it`)
    return EXIT.failed
  }
  if (outFile !== undefined) out.stderr(`cutover: next: cutover validate ${outFile}, then cutover plan ${outFile}`)
  return EXIT.ok
}

function refuseOverwrite(file: string): RefusedError {
  return new RefusedError(`${file} already exists; use --force to replace it, or --out to write the plan elsewhere`)
}

function slashes(path: string): string {
  return path.replace(/\\/g, '/')
}

async function readLab(dir: string, planDir: string, id: string, product: Product, out: Output, lookupAccount: string | undefined): Promise<Read> {
  const labDir = resolve(dir)
  if (!existsSync(worldFile(labDir))) throw new LabError(`no lab in ${dir} (no lab.json); create one with: cutover lab init --dir ${dir}`)
  const workDir = slashes(relative(planDir, labDir)) || '.'
  const found = labFacts(readWorld(labDir), id, product, workDir)
  const facts = lookupAccount === undefined ? found : { ...found, source: { ...found.source, lookupAccount } }
  if (facts.legacyFile === undefined) throw new LabError(`${worldFile(labDir)} names no legacy Group Chat database; re-create the lab with: cutover lab init --dir ${dir}`)
  out.stderr(`cutover: reading the inventory of the lab emulator's Group Chat store in ${dir}`)
  const lookup = facts.source.lookupAccount
  const inventory = await inventoryOf(join(labDir, facts.legacyFile), lookup === undefined ? undefined : sipDomainOf(lookup))
  const targetInventory = facts.targetFile === undefined ? undefined : await inventoryOf(join(labDir, facts.targetFile), undefined)
  return { facts, inventory, ...(targetInventory === undefined ? {} : { targetInventory }), origin: `the lab emulator's Group Chat store (${workDir})`, shell: LAB_SHELL, workDir }
}

async function inventoryOf(file: string, sipDomain: string | undefined): Promise<Inventory> {
  const sql = openSqliteClient(file, { readonly: true })
  try {
    return await takeInventory(sql, { cutoff: null, ...(sipDomain === undefined ? {} : { sipDomain }) })
  } finally {
    await sql.close()
  }
}

async function readStore(spec: Exclude<SourceSpec, { kind: 'lab' }>, id: string, product: Product, out: Output, lookupAccount: string | undefined): Promise<Read> {
  const secrets = new Secrets(process.env)
  const connectionString = spec.kind === 'env' ? secrets.resolve(spec.reference) : spec.connectionString
  const connection = spec.kind === 'env' ? spec.reference : `\${env:${DEFAULT_CONNECTION_VARIABLE}}`
  // Never repeat the connection string itself: it may hold a password.
  const from = spec.kind === 'env' ? `the connection string in ${spec.variable}` : 'the connection string of --source'
  const raw = connectionFacts(connectionString)
  if (raw.server === undefined) throw new UsageError(`init: ${from} names no server (Server=... or Data Source=...); --source is lab, lab:<dir>, '\${env:NAME}' or an ADO.NET connection string`)
  const found = connectionStoreFacts(connectionString, id, product, connection)
  const facts = lookupAccount === undefined ? found : { ...found, source: { ...found.source, lookupAccount } }
  const where = `${raw.instance ?? raw.server}${raw.database === undefined ? '' : `, database ${raw.database}`}`
  out.stderr(`cutover: reading the inventory of ${where} (read-only queries)`)
  // Loaded on demand: the SQL Server driver is large, and the lab never needs it.
  const { openMssqlClient } = await import('../../sql/mssql.js')
  let sql: SqlClient
  try {
    // The client scrubs the connection string and its password from its messages itself.
    sql = await openMssqlClient(connectionString, { label: `the legacy store of ${id} (${where})`, redact: (t) => secrets.redact(t) })
  } catch (e) {
    // A string that cannot work is the --source argument's fault (exit 2); an unreachable store is not.
    if (e instanceof Error && e.name === 'ConnectionStringError') throw new UsageError(`init: ${from}: ${e.message}`, { cause: e })
    throw e
  }
  try {
    // Federated members are told apart by the Lookup Server account's SIP domain; without
    // --lookup-account it is a placeholder, and the preflight lint of plan/apply tells them later.
    const inventory = await takeInventory(sql, { cutoff: null, ...(lookupAccount === undefined ? {} : { sipDomain: sipDomainOf(lookupAccount) }) })
    return { facts, inventory, origin: where, shell: 'powershell' }
  } finally {
    await sql.close()
  }
}

async function updateGitignore(dir: string, out: Output): Promise<void> {
  const file = join(dir, '.gitignore')
  let existing: string | undefined
  try {
    existing = await readFile(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
  }
  const change = gitignoreChange(existing)
  if (change.action !== 'unchanged') await writeFile(file, change.text)
  const why = 'cutover keeps state, journal and artifacts there'
  out.stderr(change.action === 'created' ? `cutover: created ${file} with ${IGNORE_LINE} (${why})`
    : change.action === 'appended' ? `cutover: added ${IGNORE_LINE} to ${file} (${why})`
      : `cutover: ${file} already ignores ${IGNORE_LINE}`)
}
