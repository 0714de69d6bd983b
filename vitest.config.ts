import { defineConfig } from 'vitest/config'

/**
 * Three projects (README, "Tests"):
 * - unit: the sources, in-process; no build needed (`npm run test:unit`).
 * - e2e: the built CLI (bin/cutover.js, dist/) as a real child process.
 * - crash: the crash matrix: real runs killed and resumed.
 * e2e and crash first refuse a stale dist/ (test/setup/current-build.ts). A test file belongs to
 * the project of what it runs, not of the folder it sits in: the lists below are the assignment
 * (every other test file is a unit test), and test/unit/test-projects.test.ts checks it.
 */
export const E2E = [
  'test/cli/**/*.test.ts',
  'test/preview/plan-command.test.ts',
  'test/preview/plan-inventory.test.ts',
  'test/preview/preview-scripts.test.ts',
  'test/preview/preview-outline.test.ts',
  'test/preview/preview-snapshots.test.ts',
  'test/preview/preview-review.test.ts',
  'test/preview/changed-inputs.test.ts',
  'test/report/html-chromium.test.ts',
  'test/report/report-snapshots.test.ts',
  'test/report/audit.test.ts',
  // Imports the built modules in a fresh Node process.
  'test/unit/lazy-driver.test.ts',
  'test/unit/code-cache.test.ts',
  // The lab through real pwsh: the stubs call the built CLI (cutover lab cmdlet).
  'test/pwsh/lab-run.test.ts',
  'test/pwsh/lab-cmdlet.test.ts',
]
export const CRASH = ['test/crash/**/*.test.ts', 'test/pwsh/lab-crash.test.ts']

const TEMP_ROOT = 'test/setup/temp-root.ts'
const CURRENT_BUILD = 'test/setup/current-build.ts'

export default defineConfig({
  test: {
    // CLI and crash tests spawn real processes; two cores, so keep the pool small and timeouts generous.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...E2E, ...CRASH], globalSetup: [TEMP_ROOT] } },
      // The build check first: when it fails, nothing else is set up.
      { extends: true, test: { name: 'e2e', include: E2E, globalSetup: [CURRENT_BUILD, TEMP_ROOT] } },
      { extends: true, test: { name: 'crash', include: CRASH, globalSetup: [CURRENT_BUILD, TEMP_ROOT, 'test/setup/crash-fixtures.ts'] } },
    ],
  },
})
