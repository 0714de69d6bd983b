/**
 * `cutover plan` as the preview tests run it: the built CLI on a copy of a plan in a fresh folder
 * (so there is no state), at a fixed clock, and the anatomy of the scripts it shows.
 */
import { copyFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { expect } from 'vitest'
import { ROOT, runCli } from '../helpers/cli.js'

export const CLOCK = { CUTOVER_CLOCK: '2026-12-01T12:00:00Z' }
export const EXAMPLES = ['plans/contoso-lync2010.yaml', 'plans/fabrikam-ocs2007r2.yaml', 'plans/lab.yaml'] as const
export const HOSTILE = 'test/plans/hostile.yaml'
export type Format = 'text' | 'markdown' | 'json'

export interface PreviewAction {
  readonly type: string
  readonly script?: string
  readonly commands?: readonly { readonly cmdlet: string; readonly computer?: string; readonly params: readonly (readonly [string, unknown])[] }[]
}

export interface PreviewJson {
  readonly formatVersion: number
  readonly plan: string
  readonly window: { readonly state: string; readonly opensInMinutes: number; readonly startUtc: string; readonly endUtc: string; readonly lastStartUtc: string; readonly timezone: string; readonly startLocal: string; readonly endLocal: string; readonly margin: string }
  readonly steps: readonly { readonly id: string; readonly phase: string; readonly kind: string; readonly title: string; readonly status: string; readonly forecast?: { readonly minutes: number; readonly basis: string }; readonly actions: readonly PreviewAction[] }[]
  readonly remaining: number
  readonly forecast: { readonly minutes: number; readonly allowedMinutes: number; readonly fits: boolean }
}

const cache = new Map<string, Promise<string>>()

/** stdout of `cutover plan <file> --format <format>` on a stateless copy of the plan (cached per file and format). */
export function preview(file: string, format: Format): Promise<string> {
  const key = `${file}\n${format}`
  let p = cache.get(key)
  if (p === undefined) {
    p = (async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cutover-preview-'))
      copyFileSync(join(ROOT, file), join(dir, basename(file)))
      const r = await runCli(['plan', basename(file), '--format', format], { cwd: dir, env: { ...CLOCK, CUTOVER_STATE_SQL: '' } })
      expect(r.code, r.stderr).toBe(0)
      // Nothing on stderr but the note that a SQL Server state cannot be read here.
      expect(r.stderr, `${file} ${format}`).toBe(file.includes('fabrikam') ? 'cutover: note: the state is kept in SQL Server and ${env:CUTOVER_STATE_SQL} is not set here; every step shows as pending\n' : '')
      return r.stdout
    })()
    cache.set(key, p)
  }
  return p
}

export async function previewJson(file: string): Promise<PreviewJson> {
  return JSON.parse(await preview(file, 'json')) as PreviewJson
}

/** Every script a preview shows, with its step. */
export function scriptsOf(p: PreviewJson): { step: string; script: string }[] {
  return p.steps.flatMap((s) => s.actions.flatMap((a) => (a.script === undefined ? [] : [{ step: s.id, script: a.script }])))
}

export interface ScriptParts {
  /** The first line: `# cutover plan '<name>', step '<id>' ...`. */
  readonly header: string
  /** From the line after the header through `Import-Module`: the same in every script of a plan. */
  readonly preamble: string
  /** The step's own commands. */
  readonly body: string
  /** From `$cutoverFinished = $true` to the end: the result line. */
  readonly epilogue: string
}

/** A generated script cut at the two lines every one of them has around the step's commands. */
export function scriptParts(script: string): ScriptParts {
  const lines = script.split('\n')
  const imp = lines.findIndex((l) => /^ {2}Import-Module -Name /.test(l))
  const fin = lines.findIndex((l) => l === '  $cutoverFinished = $true')
  expect(imp, `Import-Module in\n${script}`).toBeGreaterThan(0)
  expect(fin, `$cutoverFinished in\n${script}`).toBeGreaterThan(imp)
  return {
    header: lines[0] ?? '',
    preamble: lines.slice(1, imp + 1).join('\n'),
    body: lines.slice(imp + 1, fin).join('\n'),
    epilogue: lines.slice(fin).join('\n'),
  }
}

const QUOTES = /['\u2018\u2019\u201A\u201B]/g

/** A value as a PowerShell single-quoted literal, written here independently of runner/: each of
 * the five characters PowerShell reads as a single quote doubled. */
export function psLiteral(value: string): string {
  return `'${value.replace(QUOTES, (q) => q + q)}'`
}

/** A script with every single-quoted literal cut out: what PowerShell would parse as code. */
export function codeOutsideLiterals(script: string): string {
  return script.replace(/['\u2018\u2019\u201A\u201B](?:[^'\u2018\u2019\u201A\u201B]|['\u2018\u2019\u201A\u201B]{2})*['\u2018\u2019\u201A\u201B]/g, "''")
}

/** The cmdlets a script body invokes, in order (`Invoke-Command` on another server shows as `computer: cmdlet`). */
export function invoked(body: string): string[] {
  return body.split('\n').flatMap((l) => {
    const remote = /^ {2}(?: {2})?\$cutoverObjects = @\(Invoke-Command -ComputerName '([^']+)' -ScriptBlock \{ \$ErrorActionPreference = 'Stop'; ([A-Za-z-]+) /.exec(l)
    if (remote !== null) return [`${remote[1] ?? ''}: ${remote[2] ?? ''}`]
    const local = /^ {2}(?: {2})?\$cutoverObjects = @\(([A-Za-z-]+)/.exec(l)
    return local === null ? [] : [local[1] ?? '']
  })
}
