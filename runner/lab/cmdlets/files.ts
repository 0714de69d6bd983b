/** The lab emulator's Copy-Item, for the one copy the migration makes: the legacy file store to
 * the Persistent Chat file store (files are not migrated by the import, docs/microsoft-facts.md#the-documented-preparation). PowerShell's
 * rules are kept, the surprising one included: copying folder `a` to an existing folder `b`
 * gives `b/a`; write `a\*` to copy what is inside `a`. */
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { CmdletContext } from '../cmdlet.js'
import { LabCommandError } from '../errors.js'
import { resolveLabPath } from '../lab-paths.js'
import { bind } from '../params.js'
import { say } from '../result.js'
import type { LabResult } from '../result.js'

interface CopyJob {
  readonly from: string
  readonly to: string
  readonly folder: boolean
}

/** Files below `folder`, relative to it. */
function walk(folder: string, prefix = ''): string[] {
  return readdirSync(join(folder, prefix), { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => (e.isDirectory() ? [join(prefix, e.name) + '/', ...walk(folder, join(prefix, e.name))] : [join(prefix, e.name)]))
}

/** The literal path a wildcard pattern stands for when it has no wildcard but escaped ones
 * (`` `[ `` is `[`, as PowerShell reads -Path); undefined when it holds a real wildcard. */
export function unescapeWildcard(pattern: string): string | undefined {
  let out = ''
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? ''
    if (c === '`' && i + 1 < pattern.length) out += pattern[++i] ?? ''
    else if ('*?['.includes(c)) return undefined
    else out += c
  }
  return out
}

function isFolder(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory()
}

export async function copyItem(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, { Path: { kind: 'strings', mandatory: true }, Destination: { kind: 'string', mandatory: true }, Recurse: { kind: 'switch' }, Force: { kind: 'switch' } } as const)
  const destination = resolveLabPath(ctx.labDir, p.Destination, ctx.cmdlet)
  const jobs: CopyJob[] = []
  for (const given of p.Path) {
    const wildcard = /[\\/]\*$/.test(given) && !/(^|[^`])(``)*`\*$/.test(given)
    const literal = unescapeWildcard(wildcard ? given.slice(0, -2) : given)
    if (literal === undefined) throw new LabCommandError(ctx.cmdlet, `'${given}': the lab emulator only emulates a trailing '\\*' wildcard`)
    const source = resolveLabPath(ctx.labDir, literal, ctx.cmdlet)
    if (!existsSync(source)) throw new LabCommandError(ctx.cmdlet, `Cannot find path '${given}' because it does not exist.`)
    if (wildcard) {
      mkdirSync(destination, { recursive: true })
      for (const name of readdirSync(source).sort()) jobs.push({ from: join(source, name), to: join(destination, name), folder: isFolder(join(source, name)) })
    } else {
      jobs.push({ from: source, to: isFolder(destination) ? join(destination, basename(source)) : destination, folder: isFolder(source) })
    }
  }
  // Without -Recurse a folder is copied as an empty folder, as PowerShell does.
  const files = jobs.flatMap((j) => (!j.folder ? [{ from: j.from, to: j.to }] : p.Recurse ? walk(j.from).map((rel) => ({ from: join(j.from, rel), to: join(j.to, rel) })) : []))
  for (const j of jobs) if (j.folder) mkdirSync(j.to, { recursive: true })
  const total = files.filter((f) => !f.to.endsWith('/')).length
  let done = 0
  let bytes = 0
  for (const f of files) {
    if (f.to.endsWith('/')) {
      mkdirSync(f.to, { recursive: true })
      continue
    }
    copyFileSync(f.from, f.to)
    bytes += statSync(f.to).size
    await ctx.progress(++done, total, 'files')
  }
  return {
    output: [say(`copied ${done} files (${bytes} bytes) to ${p.Destination}`)],
    data: { files: done, bytes, destinations: jobs.map((j) => j.to) },
  }
}

/** A file-name wildcard (`*`, `?`, `[set]`, backtick escapes) as a whole-name, case-insensitive regex. */
function nameRegex(pattern: string): RegExp {
  let re = ''
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? ''
    if (c === '`' && i + 1 < pattern.length) re += (pattern[++i] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    else if (c === '*') re += '.*'
    else if (c === '?') re += '.'
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1)
      if (end < 0) throw new LabCommandError('Remove-Item', `'${pattern}' has an unclosed [ in its wildcard`)
      re += `[${pattern.slice(i + 1, end).replace(/[\\\]^]/g, '\\$&')}]`
      i = end
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${re}$`, 'i')
}

/** Remove-Item -Path: removes the files a wildcard in the last path part matches; as in
 * PowerShell, a wildcard that matches nothing is no error, a literal path that does not exist is. */
export async function removeItem(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, { Path: { kind: 'strings', mandatory: true }, Force: { kind: 'switch' } } as const)
  const output: string[] = []
  for (const given of p.Path) {
    const folder = unescapeWildcard(dirname(given.replace(/\\/g, '/')))
    if (folder === undefined) throw new LabCommandError(ctx.cmdlet, `'${given}': the lab emulator only emulates a wildcard in the file name`)
    const dir = resolveLabPath(ctx.labDir, folder, ctx.cmdlet)
    const name = basename(given.replace(/\\/g, '/'))
    const literal = unescapeWildcard(name)
    const matches = existsSync(dir) ? readdirSync(dir).filter((f) => nameRegex(name).test(f)) : []
    if (literal !== undefined && matches.length === 0) throw new LabCommandError(ctx.cmdlet, `Cannot find path '${given}' because it does not exist.`)
    for (const f of matches) {
      rmSync(join(dir, f), { recursive: true, force: true })
      output.push(say(`removed ${f}`))
    }
  }
  return { output }
}
