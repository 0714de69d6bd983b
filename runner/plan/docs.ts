// `npm run docs`: regenerates what is generated from the schema (the README's plan table and
// docs/plan-reference.md), so neither can disagree with what validate enforces.
import { updateReferenceDoc } from './reference-doc.js'
import { updateReadme } from './reference.js'

process.stdout.write(updateReadme() ? 'README.md: plan reference updated\n' : 'README.md: plan reference already current\n')
process.stdout.write(updateReferenceDoc() ? 'docs/plan-reference.md: updated\n' : 'docs/plan-reference.md: already current\n')
