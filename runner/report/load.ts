import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { VERIFY_ARTIFACT } from '../sql/verification.js'
import type { VerificationFile } from '../sql/verification.js'

/** The verification artifact, when verification ran (passed or failed); undefined otherwise. */
export async function readVerification(artifactsDir: string): Promise<VerificationFile | undefined> {
  try {
    return JSON.parse(await readFile(join(artifactsDir, VERIFY_ARTIFACT), 'utf8')) as VerificationFile
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw e
  }
}
