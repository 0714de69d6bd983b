/**
 * One snapshot per format of one representative plan (plans/contoso-lync2010.yaml: remoting, two
 * servers per pool, mappings, decommissioning, a manual step), for what the targeted tests do not
 * pin down: wording and layout. Every script repeats the same preamble and result line
 * (preview-scripts.test.ts checks they are identical); the snapshots keep them once, in the first
 * script, and mark where the others had them.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { preview, previewJson, scriptParts, scriptsOf } from './previews.js'
import type { Format } from './previews.js'

const PLAN = 'plans/contoso-lync2010.yaml'
const SAME_PREAMBLE = '<the preamble of the first script>'
const SAME_EPILOGUE = '<the result line of the first script>'

/** `text` with every occurrence of `block` after the first replaced by `mark`; how many were. */
function keepFirst(text: string, block: string, mark: string): { text: string; replaced: number } {
  const first = text.indexOf(block)
  if (first < 0) return { text, replaced: 0 }
  const head = text.slice(0, first + block.length)
  const rest = text.slice(first + block.length).split(block)
  return { text: head + rest.join(mark), replaced: rest.length - 1 }
}

const indent = (block: string, by: string): string => block.split('\n').map((l) => by + l).join('\n')

async function abbreviated(format: Format): Promise<string> {
  const json = await previewJson(PLAN)
  const scripts = scriptsOf(json)
  const { preamble, epilogue } = scriptParts(scripts[0]?.script ?? '')
  const raw = (await preview(PLAN, format)).replace(/"generatedAt": "[^"]+"/g, '"generatedAt": "<now>"')
  let out = raw
  let replaced = 0
  const cut = (block: string, mark: string): void => {
    const r = keepFirst(out, block, mark)
    out = r.text
    replaced += r.replaced
  }
  if (format === 'json') {
    // Scripts are JSON strings there: cut inside them, then print the JSON as the CLI does.
    const p = JSON.parse(raw) as { steps: { actions: { script?: string }[] }[] }
    let n = 0
    for (const s of p.steps) {
      for (const a of s.actions) {
        if (a.script === undefined) continue
        if (n++ > 0) {
          a.script = a.script.replace(`\n${preamble}\n`, `\n${SAME_PREAMBLE}\n`).replace(epilogue, SAME_EPILOGUE)
          replaced += 2
        }
      }
    }
    out = `${JSON.stringify(p, null, 2)}\n`
  } else {
    const by = format === 'text' ? '    ' : ''
    cut(indent(preamble, by), indent(SAME_PREAMBLE, by))
    cut(indent(epilogue.trimEnd(), by), indent(SAME_EPILOGUE, by))
  }
  // Each script after the first lost both: had a format changed its layout, nothing would be cut.
  expect(replaced, `${format}: repeated parts cut`).toBe(2 * (scripts.length - 1))
  return out
}

describe('cutover plan snapshots (one plan, each format)', () => {
  it.each([['text', 'txt'], ['markdown', 'md'], ['json', 'json']] as const)('%s', async (format, ext) => {
    await expect(await abbreviated(format)).toMatchFileSnapshot(join('__snapshots__', `contoso-lync2010.${ext}`))
  })
})
