/**
 * JSON Schema validation (ajv, draft-07, compiled once) with readable diagnostics. ajv decides
 * validity; when a spec is invalid, an explainer walks the schema alongside the data and reports
 * each problem at the right place: unknown fields at their key with a did-you-mean, type / enum /
 * pattern problems at the value, and one message per failed `oneOf` instead of one per branch.
 * The walk is generic over the schema's keywords so the schema can grow without changes here.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { createHash } from 'node:crypto';
import pipelineSpecSchema from '../../schemas/pipeline-spec.schema.json' with { type: 'json' };
import precompiledValidate, { schemaHash as precompiledHash } from './schema-validator.generated.js';
import type { Diagnostic } from './diagnostics.js';
import { diagnosticAtKey, diagnosticAtValue, type Problem } from './report.js';
import { childPointer, escapePointerToken, type SourceMap } from './source-map.js';
import { closest, didYouMean } from './suggest.js';

type SchemaNode = boolean | SchemaObject;
interface SchemaObject {
  [keyword: string]: unknown;
}

// Keywords the explainer walks itself; everything else (type, enum, pattern, required, minimum…)
// is checked by a small ajv validator made of that node's own keywords.
const structural = new Set([
  '$ref', 'properties', 'patternProperties', 'additionalProperties', 'propertyNames', 'items',
  'allOf', 'anyOf', 'oneOf', 'if', 'then', 'else', '$defs', 'definitions', 'additionalItems',
]);
const annotations = new Set([
  '$schema', '$id', '$comment', 'title', 'description', 'default', 'examples', 'readOnly', 'writeOnly', 'deprecated',
]);

let precompiledUsable: boolean | undefined;

/**
 * The validator generated at build time (scripts/gen-validator.mjs) — compiling the schema with
 * ajv costs ~250 ms per process — but only when it was generated from exactly this schema. A
 * stale file is never trusted: validation then compiles at run time (and a test fails).
 */
function precompiledFor(schema: object): ValidateFunction | undefined {
  if (schema !== pipelineSpecSchema) return undefined;
  precompiledUsable ??= createHash('sha256').update(JSON.stringify(pipelineSpecSchema)).digest('hex') === precompiledHash;
  return precompiledUsable ? precompiledValidate : undefined;
}

/** Validates `value` against the pipeline-spec schema (or another draft-07 schema) and explains every problem. */
export function validateSchema(value: unknown, sourceMap: SourceMap, schema: object = pipelineSpecSchema): Diagnostic[] {
  // Valid specs (the common case) are decided by the precompiled validator without building the explainer.
  if (precompiledFor(schema)?.(value) === true) return [];
  const explainer = explainerFor(schema);
  if (explainer.isValidRoot(value)) return [];
  const out: Diagnostic[] = [];
  explainer.explain(explainer.root, '', value, '', sourceMap, out);
  if (out.length === 0) {
    // Safety net: a keyword the explainer does not know failed. Say what ajv said, in place.
    for (const e of explainer.rootErrors(value)) {
      out.push(diagnosticAtValue(sourceMap, e.instancePath, { code: 'schema', message: e.message ?? 'invalid value' }));
    }
  }
  return dedupe(out);
}

/**
 * Instance pointers whose schema carries a description that `matches` (e.g. "relative to the spec
 * file" marks local paths), found by walking the schema alongside the data. Lets rules follow the
 * schema as it grows instead of keeping a second list of field locations.
 */
export function annotatedPointers(value: unknown, matches: (description: string) => boolean, schema: object = pipelineSpecSchema): string[] {
  const found = new Set<string>();
  explainerFor(schema).annotated(explainerFor(schema).root, '', value, '', matches, found, 0);
  return [...found];
}

const explainers = new WeakMap<object, Explainer>();

function explainerFor(schema: object): Explainer {
  let e = explainers.get(schema);
  if (!e) {
    e = new Explainer(schema as SchemaObject);
    explainers.set(schema, e);
  }
  return e;
}

class Explainer {
  readonly root: SchemaObject;
  private readonly ajv: Ajv;
  private readonly id: string;
  private rootValidateCache: ValidateFunction | undefined;
  private readonly byPointer = new Map<string, ValidateFunction | undefined>();
  private readonly local = new WeakMap<object, ValidateFunction | null>();
  private readonly defNames = new WeakMap<object, string>();

  constructor(root: SchemaObject) {
    this.root = root;
    // The schema is checked against the draft-07 meta-schema where the validator is generated
    // (scripts/gen-validator.mjs, in CI); repeating it here cost ~35 ms at every start.
    this.ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, validateSchema: false });
    this.id = typeof root.$id === 'string' ? root.$id : 'smpk:schema';
    // Adding is cheap; compiling (getSchema) is not, so it waits until a validator is needed.
    this.ajv.addSchema(typeof root.$id === 'string' ? root : { ...root, $id: this.id });
    for (const defs of [root.$defs, root.definitions]) {
      if (isObject(defs)) for (const [name, def] of Object.entries(defs)) if (isObject(def)) this.defNames.set(def, name);
    }
  }

  private get rootValidate(): ValidateFunction {
    this.rootValidateCache ??= this.ajv.getSchema(this.id) as ValidateFunction;
    return this.rootValidateCache;
  }

  isValidRoot(value: unknown): boolean {
    return this.rootValidate(value) === true;
  }

  rootErrors(value: unknown): ErrorObject[] {
    this.rootValidate(value);
    return [...(this.rootValidate.errors ?? [])];
  }

  /** Reports why `value` (at instance pointer `ip`) fails `node` (at schema pointer `sp`). */
  explain(node: SchemaNode, sp: string, value: unknown, ip: string, map: SourceMap, out: Diagnostic[], depth = 0): void {
    if (node === true || depth > 200) return;
    if (node === false) {
      out.push(diagnosticAtKey(map, ip, { code: 'schema-unknown-field', message: `\`${lastToken(ip)}\` is not allowed here` }));
      return;
    }
    if (this.isValid(node, sp, value)) return;

    // A missing required field that an unknown key is a typo of is one problem, not two: the
    // unknown-field message (with its did-you-mean) says it all.
    const typoTargets = new Set<string>();
    if (isObject(value) && node.additionalProperties === false && isObject(node.properties)) {
      const known = Object.keys(node.properties);
      for (const key of Object.keys(value)) {
        if (!known.includes(key)) {
          const target = closest(key, known);
          if (target !== undefined) typoTargets.add(target);
        }
      }
    }
    // Type and the other value-level keywords first: when the kind is wrong, nothing below matters.
    const localErrors = this.localErrors(node, value).filter(
      (e) => !(e.keyword === 'required' && typoTargets.has(String((e.params as { missingProperty?: unknown }).missingProperty))),
    );
    for (const e of localErrors) out.push(this.translate(e, node, value, ip, map));
    if (localErrors.some((e) => e.keyword === 'type' || e.keyword === 'const' || e.keyword === 'enum')) return;

    if (typeof node.$ref === 'string') {
      const target = this.resolve(node.$ref);
      if (target) this.explain(target.node, target.pointer, value, ip, map, out, depth + 1);
    }
    if (Array.isArray(node.allOf)) {
      node.allOf.forEach((sub: SchemaNode, i) => this.explain(sub, `${sp}/allOf/${i}`, value, ip, map, out, depth + 1));
    }
    if (node.if !== undefined && (node.then !== undefined || node.else !== undefined)) {
      const ifNode = node.if as SchemaNode;
      // An `if` that names members the value lacks holds only vacuously; authors mean it as a
      // discriminator (`type: processing`), so a step without `type` gets no branch's errors.
      const named = typeof ifNode === 'object' && isObject(ifNode.properties) ? Object.keys(ifNode.properties) : [];
      const holds = this.isValid(ifNode, `${sp}/if`, value) && (!isObject(value) || named.every((k) => k in value));
      const branch = holds ? 'then' : 'else';
      const sub = node[branch] as SchemaNode | undefined;
      if (sub !== undefined) this.explain(sub, `${sp}/${branch}`, value, ip, map, out, depth + 1);
    }
    for (const kw of ['oneOf', 'anyOf'] as const) {
      if (Array.isArray(node[kw])) this.explainAlternatives(node, kw, sp, value, ip, map, out, depth);
    }
    if (isObject(value)) this.explainMembers(node, sp, value, ip, map, out, depth);
    if (Array.isArray(value)) this.explainItems(node, sp, value, ip, map, out, depth);
  }

  /** Collects pointers governed by a schema node whose description `matches`. */
  annotated(node: SchemaNode, sp: string, value: unknown, ip: string, matches: (d: string) => boolean, found: Set<string>, depth: number): void {
    if (typeof node === 'boolean' || depth > 200) return;
    if (typeof node.description === 'string' && matches(node.description)) found.add(ip);
    if (typeof node.$ref === 'string') {
      const target = this.resolve(node.$ref);
      if (target) this.annotated(target.node, target.pointer, value, ip, matches, found, depth + 1);
    }
    if (Array.isArray(node.allOf)) {
      node.allOf.forEach((sub: SchemaNode, i) => this.annotated(sub, `${sp}/allOf/${i}`, value, ip, matches, found, depth + 1));
    }
    if (node.if !== undefined) {
      const ifNode = node.if as SchemaNode;
      const named = typeof ifNode === 'object' && isObject(ifNode.properties) ? Object.keys(ifNode.properties) : [];
      const holds = this.isValid(ifNode, `${sp}/if`, value) && (!isObject(value) || named.every((k) => k in value));
      const sub = node[holds ? 'then' : 'else'] as SchemaNode | undefined;
      if (sub !== undefined) this.annotated(sub, `${sp}/${holds ? 'then' : 'else'}`, value, ip, matches, found, depth + 1);
    }
    for (const kw of ['oneOf', 'anyOf'] as const) {
      const alts = node[kw];
      if (!Array.isArray(alts)) continue;
      alts.forEach((sub: SchemaNode, i) => {
        if (this.compatible(sub, value, 0)) this.annotated(sub, `${sp}/${kw}/${i}`, value, ip, matches, found, depth + 1);
      });
    }
    if (isObject(value)) {
      const properties = isObject(node.properties) ? (node.properties as Record<string, SchemaNode>) : {};
      for (const [key, member] of Object.entries(value)) {
        const mp = childPointer(ip, key);
        const sub = Object.prototype.hasOwnProperty.call(properties, key) ? properties[key] : undefined;
        if (sub !== undefined) this.annotated(sub, `${sp}/properties/${pointerToken(key)}`, member, mp, matches, found, depth + 1);
        else if (isObject(node.additionalProperties)) {
          this.annotated(node.additionalProperties as SchemaNode, `${sp}/additionalProperties`, member, mp, matches, found, depth + 1);
        }
      }
    }
    if (Array.isArray(value) && node.items !== undefined && !Array.isArray(node.items)) {
      value.forEach((item, i) => this.annotated(node.items as SchemaNode, `${sp}/items`, item, childPointer(ip, i), matches, found, depth + 1));
    }
  }

  private explainMembers(node: SchemaObject, sp: string, value: Record<string, unknown>, ip: string, map: SourceMap, out: Diagnostic[], depth: number): void {
    const properties = isObject(node.properties) ? (node.properties as Record<string, SchemaNode>) : {};
    const patterns = isObject(node.patternProperties) ? Object.entries(node.patternProperties as Record<string, SchemaNode>) : [];
    for (const [key, member] of Object.entries(value)) {
      const mp = childPointer(ip, key);
      if (node.propertyNames !== undefined) this.explainKey(node.propertyNames as SchemaNode, `${sp}/propertyNames`, key, mp, map, out);
      let matched = false;
      if (Object.prototype.hasOwnProperty.call(properties, key)) {
        matched = true;
        const sub = properties[key];
        if (sub !== undefined) this.explain(sub, `${sp}/properties/${pointerToken(key)}`, member, mp, map, out, depth + 1);
      }
      for (const [pattern, sub] of patterns) {
        if (safeRegExp(pattern)?.test(key)) {
          matched = true;
          this.explain(sub, `${sp}/patternProperties/${pointerToken(pattern)}`, member, mp, map, out, depth + 1);
        }
      }
      if (matched || node.additionalProperties === undefined) continue;
      if (node.additionalProperties === false) {
        const known = Object.keys(properties).filter((k) => properties[k] !== false);
        out.push(diagnosticAtKey(map, mp, {
          code: 'schema-unknown-field',
          message: `unknown field \`${key}\``,
          hint: didYouMean(key, known) ?? (known.length > 0 ? `known fields: ${listSome(known)}` : undefined),
        }));
      } else {
        this.explain(node.additionalProperties as SchemaNode, `${sp}/additionalProperties`, member, mp, map, out, depth + 1);
      }
    }
  }

  private explainItems(node: SchemaObject, sp: string, value: unknown[], ip: string, map: SourceMap, out: Diagnostic[], depth: number): void {
    const items = node.items;
    if (Array.isArray(items)) {
      items.forEach((sub: SchemaNode, i) => {
        if (i < value.length) this.explain(sub, `${sp}/items/${i}`, value[i], childPointer(ip, i), map, out, depth + 1);
      });
    } else if (items !== undefined) {
      value.forEach((item, i) => this.explain(items as SchemaNode, `${sp}/items`, item, childPointer(ip, i), map, out, depth + 1));
    }
  }

  /** Keys are checked against `propertyNames` and reported at the key, not the value. */
  private explainKey(node: SchemaNode, sp: string, key: string, mp: string, map: SourceMap, out: Diagnostic[]): void {
    if (this.isValid(node, sp, key)) return;
    const scratch: Diagnostic[] = [];
    const target = typeof node === 'object' && typeof node.$ref === 'string' ? this.resolve(node.$ref) : undefined;
    const effective = target?.node ?? node;
    if (typeof effective !== 'object') return;
    for (const e of this.localErrors(effective, key)) scratch.push(this.translate(e, effective, key, mp, map));
    for (const d of scratch.length > 0 ? scratch : [diagnosticAtKey(map, mp, { code: 'schema', message: `the key \`${key}\` is not allowed here` })]) {
      const at = map.keySpanOf(mp);
      out.push({ ...d, line: at.start.line, column: at.start.column, endLine: at.end.line, endColumn: at.end.column });
    }
  }

  private explainAlternatives(node: SchemaObject, kw: 'oneOf' | 'anyOf', sp: string, value: unknown, ip: string, map: SourceMap, out: Diagnostic[], depth: number): void {
    const branches = node[kw] as SchemaNode[];
    const valid = branches.filter((b, i) => this.isValid(b, `${sp}/${kw}/${i}`, value)).length;
    const requiredOnly = branches.every((b) => typeof b === 'object' && Object.keys(b).every((k) => k === 'required') && Array.isArray(b.required));
    const fields = requiredOnly ? branches.flatMap((b) => (b as { required: string[] }).required).map((f) => `\`${f}\``) : [];
    if (valid > 1 && kw === 'oneOf') {
      out.push(diagnosticAtValue(map, ip, requiredOnly
        ? { code: 'schema-one-of', message: `give only one of ${joinOr(fields)}` }
        : { code: 'schema-one-of', message: `the value fits more than one of: ${this.describeAll(branches).join('; ')}` }));
      return;
    }
    if (valid > 0) return;
    if (requiredOnly) {
      out.push(diagnosticAtKey(map, ip, { code: 'schema-missing-field', message: `missing one of ${joinOr(fields)}` }));
      return;
    }
    const compatible = branches.map((b, i) => ({ b, i })).filter(({ b }) => this.compatible(b, value, 0));
    if (compatible.length === 1) {
      const only = compatible[0];
      if (only) this.explain(only.b, `${sp}/${kw}/${only.i}`, value, ip, map, out, depth + 1);
      return;
    }
    if (compatible.length === 0) {
      const discriminator = isObject(value) ? this.discriminator(branches, value) : undefined;
      if (discriminator) {
        const allowed = discriminator.values;
        const got = String((value as Record<string, unknown>)[discriminator.key]);
        out.push(diagnosticAtValue(map, childPointer(ip, discriminator.key), {
          code: 'schema-value',
          message: `unknown ${discriminator.key} \`${got}\`; expected one of: ${allowed.join(', ')}`,
          hint: didYouMean(got, allowed),
        }));
        return;
      }
      const described = this.describeAll(branches);
      // A one-key mapping that misspells one of the `{key: ...}` forms gets a did-you-mean.
      const keys = isObject(value) ? Object.keys(value) : [];
      const forms = described.flatMap((d) => [...d.matchAll(/\{(\w+): \.\.\.\}/g)].map((m) => m[1] ?? ''));
      const suggestion = keys.length === 1 && keys[0] !== undefined ? closest(keys[0], forms) : undefined;
      out.push(diagnosticAtValue(map, ip, {
        code: 'schema-type',
        message: `expected ${joinOr(described)}, got ${kindOf(value)}`,
        hint: suggestion === undefined ? undefined : `did you mean \`${suggestion}\`?`,
      }));
      return;
    }
    // Several shapes fit: explain the one with the fewest problems (the closest match).
    let best: Diagnostic[] | undefined;
    for (const { b, i } of compatible) {
      const scratch: Diagnostic[] = [];
      this.explain(b, `${sp}/${kw}/${i}`, value, ip, map, scratch, depth + 1);
      if (scratch.length > 0 && (!best || scratch.length < best.length)) best = scratch;
    }
    out.push(...(best ?? []));
  }

  /** Whether `value` has the shape (kind, discriminating constants, known keys) of `node`, ignoring details. */
  private compatible(node: SchemaNode, value: unknown, depth: number): boolean {
    if (typeof node === 'boolean') return node;
    if (depth > 20) return true;
    if (typeof node.$ref === 'string') {
      const target = this.resolve(node.$ref);
      if (target && !this.compatible(target.node, value, depth + 1)) return false;
    }
    if (node.type !== undefined && !typeMatches(node.type, value)) return false;
    if ('const' in node && !deepEqual(node.const, value)) return false;
    if (Array.isArray(node.enum) && !node.enum.some((e) => deepEqual(e, value))) return false;
    if (Array.isArray(node.allOf) && !node.allOf.every((s: SchemaNode) => this.compatible(s, value, depth + 1))) return false;
    for (const kw of ['oneOf', 'anyOf'] as const) {
      const alts = node[kw];
      if (Array.isArray(alts) && !alts.some((s: SchemaNode) => this.compatible(s, value, depth + 1))) return false;
    }
    if (isObject(value) && isObject(node.properties)) {
      const properties = node.properties as Record<string, SchemaNode>;
      for (const [key, sub] of Object.entries(properties)) {
        const resolved = this.deref(sub);
        if (key in value && typeof resolved === 'object' && ('const' in resolved || Array.isArray(resolved.enum))) {
          if (!this.compatible(resolved, value[key], depth + 1)) return false;
        }
      }
      // A closed mapping none of whose fields appear is another shape altogether ({foo: 1} is not a {get: ...}).
      const keys = Object.keys(value);
      if (node.additionalProperties === false && Array.isArray(node.required) && node.required.length > 0 && !keys.some((k) => k in properties)) {
        return false;
      }
    }
    return true;
  }

  /** A member every branch pins with `const`/`enum` (a step's `type`), when the value names none of them. */
  private discriminator(branches: SchemaNode[], value: Record<string, unknown>): { key: string; values: string[] } | undefined {
    const first = this.deref(branches[0]);
    if (typeof first !== 'object' || !isObject(first.properties)) return undefined;
    for (const key of Object.keys(first.properties)) {
      if (!(key in value)) continue;
      const values: string[] = [];
      const pinned = branches.every((b) => {
        const r = this.deref(b);
        const p = typeof r === 'object' && isObject(r.properties) ? this.deref((r.properties as Record<string, SchemaNode>)[key]) : undefined;
        if (typeof p !== 'object') return false;
        if ('const' in p) values.push(String(p.const));
        else if (Array.isArray(p.enum)) values.push(...p.enum.map(String));
        else return false;
        return true;
      });
      if (pinned) return { key, values };
    }
    return undefined;
  }

  private describeAll(branches: SchemaNode[]): string[] {
    return [...new Set(branches.flatMap((b) => this.describe(b, 0)))];
  }

  /** Short phrases for what a schema accepts: "a string", "{get: ...}", "an expression ({get: ...}, ...)". */
  private describe(node: SchemaNode | undefined, depth: number): string[] {
    if (node === undefined || typeof node === 'boolean' || depth > 10) return ['a value'];
    if (typeof node.$ref === 'string') {
      const target = this.resolve(node.$ref);
      if (!target || typeof target.node !== 'object') return ['a value'];
      const name = this.defNames.get(target.node);
      const inner = this.describe(target.node, depth + 1);
      // A named union of single-key mappings is one concept ("an expression"), listed by its keys.
      if (name && inner.length > 1 && inner.every((d) => d.startsWith('{'))) return [`${article(words(name))} (${inner.join(', ')})`];
      return inner;
    }
    if ('const' in node) return [`\`${JSON.stringify(node.const)}\``];
    if (Array.isArray(node.enum)) return [`one of ${node.enum.map((e) => `\`${String(e)}\``).join(', ')}`];
    for (const kw of ['oneOf', 'anyOf'] as const) {
      const alts = node[kw];
      if (Array.isArray(alts)) return [...new Set(alts.flatMap((a: SchemaNode) => this.describe(a, depth + 1)))];
    }
    const required = Array.isArray(node.required) ? (node.required as string[]) : [];
    if (node.type === 'object' || isObject(node.properties)) {
      if (node.additionalProperties === false && required.length === 1) return [`{${required[0]}: ...}`];
      if (required.length > 0) return [`a mapping with ${required.map((r) => `\`${r}\``).join(', ')}`];
      return ['a mapping'];
    }
    if (node.type !== undefined) {
      const types = Array.isArray(node.type) ? (node.type as string[]) : [String(node.type)];
      return types.map(typeName);
    }
    return ['a value'];
  }

  private translate(e: ErrorObject, node: SchemaObject, value: unknown, ip: string, map: SourceMap): Diagnostic {
    const at = e.instancePath ? ip + e.instancePath : ip;
    const here = e.instancePath ? undefined : value;
    const p = e.params as Record<string, unknown>;
    const hintFromSchema = typeof node.description === 'string' ? node.description : undefined;
    const problem = ((): Problem => {
      switch (e.keyword) {
        case 'type': {
          const expected = String(p.type).split(',').map(typeName);
          return { code: 'schema-type', message: `expected ${joinOr(expected)}, got ${kindOf(here)}` };
        }
        case 'enum': {
          const values = p.allowedValues as unknown[];
          const allowed = values.map((v) => String(v));
          // When the kind differs ("1024" for 1024), say so, or the message would read "1024 is not 1024".
          const sameKind = values.some((v) => typeof v === typeof here);
          return {
            code: 'schema-value',
            message: sameKind
              ? `\`${shown(here)}\` is not allowed; expected one of: ${allowed.join(', ')}`
              : `expected one of: ${values.map((v) => JSON.stringify(v)).join(', ')}; got ${kindOf(here)}`,
            hint: typeof here === 'string' && sameKind ? didYouMean(here, allowed) : undefined,
          };
        }
        case 'const':
          return { code: 'schema-value', message: `expected \`${JSON.stringify(p.allowedValue)}\`, got ${kindOf(here)}` };
        case 'pattern':
          return { code: 'schema-pattern', message: `\`${shown(here)}\` does not match the pattern \`${String(p.pattern)}\``, hint: hintFromSchema };
        case 'minLength':
          return Number(p.limit) === 1
            ? { code: 'schema-range', message: 'must not be empty' }
            : { code: 'schema-range', message: `must be at least ${String(p.limit)} characters long` };
        case 'maxLength':
          return { code: 'schema-range', message: `must be at most ${String(p.limit)} characters long` };
        case 'minimum':
        case 'maximum':
        case 'exclusiveMinimum':
        case 'exclusiveMaximum': {
          const word = { minimum: 'at least', maximum: 'at most', exclusiveMinimum: 'greater than', exclusiveMaximum: 'less than' }[e.keyword];
          return { code: 'schema-range', message: `must be ${word} ${String(p.limit)}, got ${shown(here)}` };
        }
        case 'multipleOf':
          return { code: 'schema-range', message: `must be a multiple of ${String(p.multipleOf)}` };
        case 'minItems':
          return { code: 'schema-range', message: `needs at least ${plural(Number(p.limit), 'item')}` };
        case 'maxItems':
          return { code: 'schema-range', message: `takes at most ${plural(Number(p.limit), 'item')}` };
        case 'minProperties':
          return { code: 'schema-range', message: `needs at least ${plural(Number(p.limit), 'field')}` };
        case 'maxProperties':
          return { code: 'schema-range', message: `takes at most ${plural(Number(p.limit), 'field')}` };
        case 'uniqueItems':
          return { code: 'schema-duplicate', message: `items ${Number(p.j) + 1} and ${Number(p.i) + 1} are the same; each may appear once` };
        case 'required':
          return { code: 'schema-missing-field', message: `missing required field \`${String(p.missingProperty)}\`` };
        default:
          return { code: 'schema', message: e.message ?? 'invalid value' };
      }
    })();
    if (e.keyword === 'required') return diagnosticAtKey(map, at, problem);
    if (e.keyword === 'uniqueItems') return diagnosticAtValue(map, childPointer(at, Number(p.i)), problem);
    return diagnosticAtValue(map, at, problem);
  }

  private isValid(node: SchemaNode, sp: string, value: unknown): boolean {
    if (typeof node === 'boolean') return node;
    const simple = constPropertiesCheck(node, value);
    if (simple !== undefined) return simple;
    const v = this.validatorAt(sp);
    if (v) return v(value) === true;
    // The pointer could not be resolved (should not happen): fall back to the node's own keywords.
    return this.localErrors(node, value).length === 0;
  }

  private validatorAt(sp: string): ValidateFunction | undefined {
    if (!this.byPointer.has(sp)) {
      let v: ValidateFunction | undefined;
      try {
        v = this.ajv.getSchema(`${this.id}#${sp}`);
      } catch {
        v = undefined;
      }
      this.byPointer.set(sp, v);
    }
    return this.byPointer.get(sp);
  }

  private localErrors(node: SchemaObject, value: unknown): ErrorObject[] {
    let v = this.local.get(node);
    if (v === undefined) {
      const own: SchemaObject = {};
      for (const [k, x] of Object.entries(node)) if (!structural.has(k) && !annotations.has(k)) own[k] = x;
      try {
        v = Object.keys(own).length > 0 ? this.ajv.compile(own) : null;
      } catch {
        v = null; // e.g. a `not` that references a definition; the safety net covers it
      }
      this.local.set(node, v);
    }
    if (!v || v(value) === true) return [];
    return [...(v.errors ?? [])];
  }

  private resolve(ref: string): { node: SchemaNode; pointer: string } | undefined {
    const hash = ref.indexOf('#');
    const base = hash < 0 ? ref : ref.slice(0, hash);
    if (base !== '' && base !== this.id) return undefined;
    const pointer = hash < 0 ? '' : ref.slice(hash + 1);
    let node: unknown = this.root;
    for (const raw of pointer.split('/').slice(1)) {
      const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      if (!isObject(node) && !Array.isArray(node)) return undefined;
      node = (node as Record<string, unknown>)[token];
    }
    return typeof node === 'boolean' || isObject(node) ? { node: node as SchemaNode, pointer } : undefined;
  }

  private deref(node: SchemaNode | undefined): SchemaNode | undefined {
    let n = node;
    for (let i = 0; i < 10 && typeof n === 'object' && typeof n.$ref === 'string'; i++) n = this.resolve(n.$ref)?.node;
    return n;
  }
}

/**
 * Decides `{properties: {k: {const: v}, …}}` nodes — the schema's dispatch on a step's `type` —
 * without ajv, whose first use compiles the whole schema (~200 ms). Undefined for any other node.
 */
function constPropertiesCheck(node: SchemaObject, value: unknown): boolean | undefined {
  const keys = Object.keys(node);
  if (!keys.includes('properties') || !keys.every((k) => k === 'properties' || k === 'required') || !isObject(node.properties)) return undefined;
  const required = node.required ?? [];
  if (!Array.isArray(required) || !required.every((r) => typeof r === 'string')) return undefined;
  const props = Object.entries(node.properties);
  if (!props.every(([, p]) => isObject(p) && Object.keys(p).length === 1 && 'const' in p)) return undefined;
  if (!isObject(value)) return true; // `properties` and `required` constrain objects only
  const v = value as Record<string, unknown>;
  return (
    (required as string[]).every((r) => r in v) &&
    props.every(([k, p]) => !(k in v) || JSON.stringify(v[k]) === JSON.stringify((p as { const: unknown }).const))
  );
}

/** A JSON-pointer token as it must appear in a URI fragment (ajv looks sub-schemas up by URI). */
function pointerToken(token: string): string {
  return encodeURIComponent(escapePointerToken(token));
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function typeMatches(type: unknown, value: unknown): boolean {
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => {
    switch (t) {
      case 'string': return typeof value === 'string';
      case 'number': return typeof value === 'number';
      case 'integer': return typeof value === 'number' && Number.isInteger(value);
      case 'boolean': return typeof value === 'boolean';
      case 'null': return value === null;
      case 'array': return Array.isArray(value);
      case 'object': return isObject(value);
      default: return true;
    }
  });
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function typeName(t: string): string {
  return ({ string: 'a string', integer: 'an integer', number: 'a number', boolean: 'a boolean', array: 'a list', object: 'a mapping', null: 'null' } as Record<string, string>)[t] ?? `a ${t}`;
}

function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'nothing (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return Object.keys(v).length === 0 ? 'an empty mapping' : 'a mapping';
  if (typeof v === 'string') return `the string \`${truncate(v)}\``;
  return `\`${String(v)}\``;
}

function shown(v: unknown): string {
  if (typeof v === 'string') return truncate(v);
  if (typeof v === 'object' && v !== null) return truncate(JSON.stringify(v));
  return String(v);
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** The first names of a long list, so a hint stays readable. */
function listSome(names: readonly string[], max = 16): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')}, … (${names.length - max} more)`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function joinOr(items: string[]): string {
  if (items.length <= 1) return items[0] ?? 'a value';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] ?? ''}`;
}

function words(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

function article(phrase: string): string {
  return /^[aeiou]/.test(phrase) ? `an ${phrase}` : `a ${phrase}`;
}

function lastToken(pointer: string): string {
  return pointer.slice(pointer.lastIndexOf('/') + 1).replace(/~1/g, '/').replace(/~0/g, '~');
}

function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.line}:${d.column}:${d.code}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
