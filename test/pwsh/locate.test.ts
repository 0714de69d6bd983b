import { describe, expect, it } from 'vitest'
import { locatePwsh } from './locate.js'

describe('locatePwsh', () => {
  it('takes CUTOVER_TEST_PWSH first, and says when it does not exist', () => {
    expect(locatePwsh({ CUTOVER_TEST_PWSH: process.execPath })).toEqual({ found: true, path: process.execPath })
    expect(locatePwsh({ CUTOVER_TEST_PWSH: '/nonexistent/pwsh' })).toEqual({ found: false, reason: 'CUTOVER_TEST_PWSH=/nonexistent/pwsh does not exist' })
  })
})
