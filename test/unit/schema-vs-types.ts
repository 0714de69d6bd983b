/**
 * Compares the TypeScript Plan types (runner/plan/types.ts) with migration.schema.json, object by
 * object: the same property names, the same optionality, the same literal values. The types
 * describe the plan after schema validation with defaults applied, so a property the schema
 * neither requires nor defaults is optional in the types, and every other one is required.
 * Read with the TypeScript compiler's type checker, so aliases, unions and readonly arrays are
 * seen as the compiler sees them, not as text.
 */
import ts from 'typescript'

export interface SchemaNode {
  readonly $ref?: string
  readonly type?: string
  readonly properties?: Readonly<Record<string, SchemaNode>>
  readonly required?: readonly string[]
  readonly items?: SchemaNode
  readonly enum?: readonly unknown[]
  readonly const?: unknown
  readonly default?: unknown
  readonly $defs?: Readonly<Record<string, SchemaNode>>
}

/** One node with its $ref followed (siblings of $ref, such as a description, kept). */
function resolve(root: SchemaNode, node: SchemaNode): SchemaNode {
  let n = node
  for (let hops = 0; n.$ref !== undefined; hops++) {
    if (hops > 10) throw new Error(`$ref loop at ${n.$ref}`)
    const name = /^#\/\$defs\/(.+)$/.exec(n.$ref)?.[1]
    const target = name === undefined ? undefined : root.$defs?.[name]
    if (target === undefined) throw new Error(`unresolved $ref ${n.$ref}`)
    n = { ...target, ...n, $ref: target.$ref }
  }
  return n
}

/** The literal values of a type made only of string/number literals; undefined for any other type. */
function literals(t: ts.Type): unknown[] | undefined {
  const parts = t.isUnion() ? t.types : [t]
  const values = parts.map((p) => (p.isStringLiteral() || p.isNumberLiteral() ? p.value : undefined))
  return values.every((v) => v !== undefined) ? values : undefined
}

const field = (path: string, name: string): string => (path === '' ? name : `${path}.${name}`)

const sorted = (values: readonly unknown[]): string => JSON.stringify([...values].map((v) => JSON.stringify(v)).sort())

class Comparison {
  readonly mismatches: string[] = []

  constructor(private readonly checker: ts.TypeChecker, private readonly schema: SchemaNode, private readonly at: ts.Node) {}

  compare(type: ts.Type, node: SchemaNode, path: string): void {
    const s = resolve(this.schema, node)
    const t = this.checker.getNonNullableType(type)
    if (this.checker.isArrayType(t)) {
      const element = this.checker.getTypeArguments(t as ts.TypeReference)[0]
      if (s.items === undefined) this.mismatches.push(`${path === '' ? '(the plan)' : path}: a list in types.ts, not in the schema`)
      else if (element !== undefined) this.compare(element, s.items, `${path}[]`)
      return
    }
    if (s.items !== undefined) this.mismatches.push(`${path === '' ? '(the plan)' : path}: a list in the schema, not in types.ts`)
    const members = t.isUnion() ? t.types : [t]
    const objects = members.filter((m) => (m.flags & ts.TypeFlags.Object) !== 0)
    if (s.properties === undefined) {
      if (objects.length > 0) this.mismatches.push(`${path === '' ? '(the plan)' : path}: an object in types.ts, not in the schema`)
      this.compareValues(t, s, path)
      return
    }
    if (objects.length === 0 || objects.length !== members.length) {
      this.mismatches.push(`${path === '' ? '(the plan)' : path}: an object in the schema, not in types.ts`)
      return
    }
    if (objects.length === 1 && objects[0] !== undefined) this.compareObject(objects[0], s, path)
    else this.compareOneOf(objects, s, path)
  }

  /** An interface against an object of the schema: names, then optionality, then each value. */
  private compareObject(t: ts.Type, s: SchemaNode, path: string): void {
    const props = s.properties ?? {}
    const required = new Set(s.required ?? [])
    const typed = new Map(this.checker.getPropertiesOfType(t).map((p) => [p.name, p]))
    for (const name of Object.keys(props)) if (!typed.has(name)) this.mismatches.push(`${field(path, name)}: in migration.schema.json, not in types.ts`)
    for (const [name, symbol] of typed) {
      const prop = props[name]
      if (prop === undefined) {
        this.mismatches.push(`${field(path, name)}: in types.ts, not in migration.schema.json`)
        continue
      }
      const optionalInTypes = (symbol.flags & ts.SymbolFlags.Optional) !== 0
      const optionalInSchema = !required.has(name) && resolve(this.schema, prop).default === undefined && prop.default === undefined
      if (optionalInTypes !== optionalInSchema) {
        this.mismatches.push(`${field(path, name)}: ${optionalInTypes ? 'optional' : 'required'} in types.ts, but the schema ${optionalInSchema ? 'neither requires nor defaults it' : 'requires or defaults it'}`)
      }
      this.compare(this.checker.getTypeOfSymbolAtLocation(symbol, this.at), prop, `${field(path, name)}`)
    }
  }

  /** A union of objects (a decommission step: exactly one of several keys) against one schema
   * object listing every key: together the members have the schema's keys, each key once. */
  private compareOneOf(members: readonly ts.Type[], s: SchemaNode, path: string): void {
    const props = s.properties ?? {}
    const seen = new Set<string>()
    for (const m of members) {
      for (const symbol of this.checker.getPropertiesOfType(m)) {
        const prop = props[symbol.name]
        if (prop === undefined) {
          this.mismatches.push(`${field(path, symbol.name)}: in types.ts, not in migration.schema.json`)
          continue
        }
        seen.add(symbol.name)
        this.compare(this.checker.getTypeOfSymbolAtLocation(symbol, this.at), prop, `${field(path, symbol.name)}`)
      }
    }
    for (const name of Object.keys(props)) if (!seen.has(name)) this.mismatches.push(`${field(path, name)}: in migration.schema.json, not in types.ts`)
  }

  /** Literal types against `enum` or `const`; a plain string or number against neither. */
  private compareValues(t: ts.Type, s: SchemaNode, path: string): void {
    const allowed = s.enum ?? (s.const === undefined ? undefined : [s.const])
    const values = literals(t)
    if (allowed === undefined && values === undefined) return
    if (allowed === undefined) this.mismatches.push(`${path === '' ? '(the plan)' : path}: the literals ${sorted(values ?? [])} in types.ts, any value in the schema`)
    else if (values === undefined) this.mismatches.push(`${path === '' ? '(the plan)' : path}: the values ${sorted(allowed)} in the schema, any value in types.ts`)
    else if (sorted(values) !== sorted(allowed)) this.mismatches.push(`${path === '' ? '(the plan)' : path}: ${sorted(values)} in types.ts, ${sorted(allowed)} in the schema`)
  }
}

const OPTIONS: ts.CompilerOptions = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts'], types: [] }
let previous: ts.Program | undefined

/** Every difference between the interface `root` of `typesFile` and `schema`, one line each
 * (`downtime.margin: in migration.schema.json, not in types.ts`); empty when they agree. */
export function schemaVsTypes(typesFile: string, schema: SchemaNode, root = 'Plan'): string[] {
  // The previous program lends its parsed lib files: a comparison then costs milliseconds.
  const program = ts.createProgram([typesFile], OPTIONS, undefined, previous)
  previous = program
  const file = program.getSourceFile(typesFile)
  if (file === undefined) throw new Error(`cannot read ${typesFile}`)
  const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]
  if (diagnostics.length > 0) throw new Error(`${typesFile} does not compile: ${ts.flattenDiagnosticMessageText(diagnostics[0]?.messageText, ' ')}`)
  const decl = file.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === root)
  if (decl === undefined) throw new Error(`no interface ${root} in ${typesFile}`)
  const checker = program.getTypeChecker()
  const c = new Comparison(checker, schema, decl)
  c.compare(checker.getTypeAtLocation(decl.name), schema, '')
  return c.mismatches
}
