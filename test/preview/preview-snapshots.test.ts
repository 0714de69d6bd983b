/**
 * One snapshot per format of one representative plan (plans/contoso-lync2010.yaml: remoting, two
 * servers per pool, mappings, decommissioning, a manual step), for what the targeted tests do not
 * pin down: wording and layout. Every script repeats the same preamble and result line
 * (preview-scripts.test.ts checks they are identical): the JSON snapshot keeps them once, in the
 * first script, and marks where the others had them; text and Markdown show them once or not at all.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { preview, previewJson, scriptParts, scriptsOf } from './previews.js'
import type { Format } from './previews.js'

const PLAN = 'plans/contoso-lync2010.yaml'
const SAME_PREAMBLE = '<the preamble of the first script>'
const SAME_EPILOGUE = '<the result line of the first script>'

async function abbreviated(format: Format): Promise<string> {
  const json = await previewJson(PLAN)
  const scripts = scriptsOf(json)
  const { preamble, epilogue } = scriptParts(scripts[0]?.script ?? '')
  // The templates' digest moves with every template change (the scripts shown say what changed).
  const raw = (await preview(PLAN, format)).replace(/"generatedAt": "[^"]+"/g, '"generatedAt": "<now>"').replace(/with templates `[0-9a-f]{12}`/g, 'with templates `<digest>`')
  let out = raw
  if (format === 'json') {
    // Scripts are JSON strings there: cut inside them, then print the JSON as the CLI does.
    const p = JSON.parse(raw) as { steps: { actions: { script?: string }[] }[]; review?: { templatesDigest: string; planFile: { path: string } } }
    // The reviewed-plan block names the temp copy of the plan and the templates' digest, which
    // every template change moves (the scripts below show that change).
    expect(p.review?.templatesDigest).toMatch(/^[0-9a-f]{64}$/)
    if (p.review !== undefined) p.review = { ...p.review, templatesDigest: '<the templates digest>', planFile: { ...p.review.planFile, path: '<the plan file>' } }
    let n = 0
    let replaced = 0
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
    // Each script after the first lost both: had the JSON changed its layout, nothing would be cut.
    expect(replaced, `${format}: repeated parts cut`).toBe(2 * (scripts.length - 1))
  } else {
    // Text and Markdown show each step's own commands: the preamble once in Markdown (the frame),
    // not at all in the compact text.
    const times = raw.split(preamble).length - 1
    expect(times, `${format}: the preamble shown`).toBe(format === 'markdown' ? 1 : 0)
  }
  return out
}

describe('cutover plan snapshots (one plan, each format)', () => {
  it.each([['text', 'txt'], ['markdown', 'md'], ['json', 'json']] as const)('%s', async (format, ext) => {
    await expect(await abbreviated(format)).toMatchFileSnapshot(join('__snapshots__', `contoso-lync2010.${ext}`))
  })
})
