import { describe, expect, it } from 'vitest'
import { CutoverError, EXIT, InterruptedError, NothingToReadError, PlanInvalidError, UsageError } from '../../runner/core/errors.js'
import { stackWithCauses } from '../../runner/cli/debug.js'
import { PlanChangedError, RefusedError } from '../../runner/engine/errors.js'
import { LabCommandError, LabError, LabInterruptedError } from '../../runner/lab/errors.js'
import { MissingSecretError } from '../../runner/plan/secrets.js'
import { QuoteError } from '../../runner/runtimes/powershell/quote.js'
import { ConnectionStringError } from '../../runner/sql/connection.js'
import { SqlStoreError } from '../../runner/sql/mssql-errors.js'
import { LockedError, StateCorruptError } from '../../runner/state/errors.js'

const holder = { host: 'h', pid: 1, startedAt: '2026-12-06T04:00:00.000Z', user: 'u', command: 'c' }

describe('errors carry their exit code (main.ts returns it, whatever the class)', () => {
  it.each([
    [new UsageError('x'), EXIT.usage],
    [new PlanInvalidError('x'), EXIT.failed],
    [new NothingToReadError('x'), EXIT.failed],
    [new InterruptedError('x'), EXIT.interrupted],
    [new PlanChangedError(['a']), EXIT.failed],
    [new RefusedError('x'), EXIT.failed],
    [new LockedError(holder, 'running'), EXIT.locked],
    [new StateCorruptError('f', 'p', 'r'), EXIT.failed],
    [new MissingSecretError('x'), EXIT.failed],
    [new SqlStoreError('x', 'login'), EXIT.failed],
    [new ConnectionStringError('x'), EXIT.failed],
    [new LabError('x'), EXIT.failed],
    [new LabCommandError('Get-X', 'x'), EXIT.failed],
    [new LabInterruptedError('Get-X', 'x'), EXIT.failed],
    [new QuoteError('rooms.map[0].rename', 'a control character'), EXIT.failed],
  ])('%s', (error, code) => {
    expect(error).toBeInstanceOf(CutoverError)
    expect((error as CutoverError).exitCode).toBe(code)
  })
})

describe('--debug shows every cause', () => {
  it('prints the stack of the error and of each cause under it, once each', () => {
    const root = new Error('ECONNREFUSED 127.0.0.1:1433')
    const middle = new SqlStoreError('cannot reach the legacy store', 'unreachable')
    Object.assign(middle, { cause: root })
    const top = new RefusedError('rollback stopped at cutover.import.gc2010', { cause: middle })
    const text = stackWithCauses(top)
    expect(text.split('\n')[0]).toBe('RefusedError: rollback stopped at cutover.import.gc2010')
    expect(text).toContain('caused by: SqlStoreError: cannot reach the legacy store')
    expect(text).toContain('caused by: Error: ECONNREFUSED 127.0.0.1:1433')
    expect(text.match(/caused by:/g)).toHaveLength(2)
  })

  it('stops at a cause that loops back', () => {
    const a = new Error('a')
    const b = new Error('b', { cause: a })
    Object.assign(a, { cause: b })
    expect(stackWithCauses(a).match(/caused by:/g)).toHaveLength(1)
  })
})
