import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/**
 * The layers of runner/ (README, "Layout"): each folder may import only the folders below it, so
 * the code has no import cycle and the engine knows nothing of the terminal or the lab.
 *   core <- plan <- sql <- state <- report <- steps <- compile <- engine <- cli
 *   lab (the emulator) <- runtimes/lab;  runtimes/powershell;  init <- cli
 * A rule per folder forbids the folders above it; test/unit/lint-layers.test.ts proves the rules bite.
 */
const FOLDERS = ['core', 'plan', 'sql', 'state', 'report', 'steps', 'compile', 'engine', 'runtimes', 'lab', 'init', 'cli']
const ALLOWED = {
  core: [],
  plan: ['core'],
  sql: ['core', 'plan'],
  state: ['core', 'sql'],
  report: ['core', 'plan', 'sql', 'state'],
  steps: ['core', 'plan', 'sql', 'state', 'report'],
  compile: ['core', 'plan', 'sql', 'state', 'steps'],
  engine: ['core', 'plan', 'sql', 'state', 'steps', 'compile'],
  // The emulator stands apart: it shares only pure helpers (names, ticks, durable writes).
  lab: ['core', 'plan', 'sql', 'state'],
  'runtimes/lab': ['core', 'plan', 'sql', 'state', 'steps', 'lab', 'init'],
  'runtimes/powershell': ['core', 'plan', 'sql', 'state', 'steps'],
  init: ['core', 'plan', 'sql', 'state', 'steps', 'compile'],
}

/** Import patterns that reach `folder` of runner/ from a file `depth` folders below runner/. */
function patternsFor(folder, depth) {
  const up = '../'.repeat(depth)
  return [`${up}${folder}/*`, `${up}${folder}/**`]
}

/** One config block per depth below the folder, since a relative pattern means another folder
 * at each depth (`../report.js` from runner/lab/cmdlets/ is the lab's own report.ts). */
function layerRules(name) {
  const allowed = ALLOWED[name]
  const own = name.split('/')[0]
  const forbidden = FOLDERS.filter((f) => f !== own && !allowed.includes(f))
  const other = name === 'runtimes/lab' ? 'powershell' : name === 'runtimes/powershell' ? 'lab' : undefined
  const message = `runner/${name} may import only ${allowed.length === 0 ? 'itself' : allowed.map((a) => `runner/${a}`).join(', ')} (eslint.config.js, layers)`
  const base = name.split('/').length
  return [0, 1, 2].map((sub) => ({
    files: [`runner/${name}/${'*/'.repeat(sub)}*.ts`],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'listr2', message: 'only runner/cli renders to the terminal' }],
        patterns: [
          { group: forbidden.flatMap((f) => patternsFor(f, base + sub)), message },
          ...(other === undefined ? [] : [{ group: patternsFor(other, 1 + sub), message: `runner/${name} does not use runner/runtimes/${other}` }]),
        ],
      }],
    },
  }))
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
    },
  },
  {
    // The entry and its loader are CommonJS (bin/package.json), run by Node as they are.
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  ...Object.keys(ALLOWED).flatMap(layerRules),
  {
    // The CLI composes everything and alone renders to the terminal.
    files: ['runner/cli/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
)
