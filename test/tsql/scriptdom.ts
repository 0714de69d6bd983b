/**
 * Microsoft's T-SQL parser (ScriptDom), through the console program in test/tsql/Parse: built
 * once per test run (dotnet's incremental build keeps bin/ and obj/ there, so an unchanged program
 * costs a second or two), then given every statement in one JSON document on stdin.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { ROOT } from '../helpers/cli.js'

export const PARSERS = ['TSql100', 'TSql180'] as const
export type ParserName = (typeof PARSERS)[number]

export interface ParseError { readonly line: number; readonly column: number; readonly number: number; readonly message: string }
export interface TableName { readonly schema: string | null; readonly name: string; readonly alias: string | null; readonly variable: boolean }
export interface Scope { readonly statement: string; readonly tables: readonly TableName[]; readonly columns: readonly (readonly string[])[] }
export interface Definition { readonly kind: 'table' | 'variable'; readonly name: string; readonly columns: readonly string[] }
export interface Parsed {
  readonly id: string
  readonly errors: Readonly<Record<ParserName, readonly ParseError[]>>
  readonly scopes: readonly Scope[]
  readonly definitions: readonly Definition[]
}

const PROJECT = join(ROOT, 'test', 'tsql', 'Parse')
const OUT = join(PROJECT, 'bin', 'cutover-tests')

export function findDotnet(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return (env.PATH ?? '').split(delimiter).filter((d) => d !== '').map((d) => join(d, 'dotnet')).find((p) => existsSync(p))
}

/** Builds the parser program; returns the path of its dll. Throws with dotnet's output on failure. */
export function buildParser(dotnet: string): string {
  const r = spawnSync(dotnet, ['build', join(PROJECT, 'Parse.csproj'), '-c', 'Release', '--nologo', '-v', 'quiet', '-o', OUT], { encoding: 'utf8', timeout: 300_000 })
  if (r.status !== 0) throw new Error(`dotnet build test/tsql/Parse failed (${String(r.status)}): ${r.stdout}${r.stderr}`)
  return join(OUT, 'Parse.dll')
}

/** Parses each statement with both parsers. */
export function parseStatements(dotnet: string, dll: string, statements: readonly { readonly id: string; readonly sql: string }[]): Parsed[] {
  const r = spawnSync(dotnet, [dll], { input: JSON.stringify(statements), encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 })
  if (r.status !== 0) throw new Error(`test/tsql/Parse exited ${String(r.status)}: ${r.stderr}`)
  return JSON.parse(r.stdout) as Parsed[]
}
