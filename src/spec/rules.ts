/**
 * Semantic rules: what JSON Schema cannot say about a spec. The table's key is the rule as a
 * sentence, which is also the family of its messages; `code` is the stable identifier that
 * diagnostics carry. Rules read data that may have failed the schema, so each one guards its
 * inputs instead of trusting types.
 */
import type { SourceFiles } from '../compiler/types.js';
import type { Diagnostic, Severity } from './diagnostics.js';
import { EXECUTION_VARIABLES, parseGetText, referencedStep, type LocatedReference } from './references.js';
import { diagnosticAt, diagnosticAtKey, diagnosticAtValue } from './report.js';
import { annotatedPointers } from './schema.js';
import { childPointer, type SourceMap, type Span } from './source-map.js';
import {
  buildStepGraph, downstreamOf, enclosingBranches, findCycles, isRecord, type Edge, type StepGraph, type StepInfo,
} from './step-graph.js';
import { didYouMean } from './suggest.js';
import type { DuplicateKey } from './yaml.js';
import { resolveSpecPath } from './paths.js';
import { propertyShapeForStepType, validatePropertyPath, type PropertyPathResult } from './properties.js';

export interface RuleContext {
  spec: Record<string, unknown>;
  graph: StepGraph;
  /** Every reference in the spec, with the pointer of its expression object. */
  references: LocatedReference[];
  duplicateKeys: readonly DuplicateKey[];
  sourceMap: SourceMap;
  /** Repository files, when the caller can read them (code paths must exist). */
  files?: SourceFiles | undefined;
  /** Repository-relative path of the spec file (code paths are relative to it). */
  specPath?: string | undefined;
}

/** One problem a rule found: where (value or key, or an explicit span) and what. */
export interface Finding {
  pointer: string;
  at?: 'key' | 'value';
  span?: Span;
  message: string;
  hint?: string | undefined;
  severity?: Severity;
}

export interface Rule {
  code: string;
  check(ctx: RuleContext): Finding[];
}

const PROPERTY_FILE_KIND = 'processing';

/** The rules, keyed by the sentence users see as the family of their messages. */
export const rules: Readonly<Record<string, Rule>> = {
  'Mapping keys must be unique': {
    code: 'duplicate-key',
    check: (ctx) =>
      ctx.duplicateKeys
        .filter((d) => d.mapping !== '/parameters')
        .map((d) => ({
          pointer: childPointer(d.mapping, d.key),
          span: d.second,
          message: `duplicate key \`${d.key}\` (first at line ${d.first.start.line})`,
          hint: 'YAML keeps only one of them; remove or rename the other',
        })),
  },

  'Parameter names must be unique': {
    code: 'duplicate-parameter',
    check: (ctx) =>
      ctx.duplicateKeys
        .filter((d) => d.mapping === '/parameters')
        .map((d) => ({
          pointer: childPointer('/parameters', d.key),
          span: d.second,
          message: `duplicate parameter \`${d.key}\` (first at line ${d.first.start.line})`,
          hint: 'YAML would silently keep only the last one; rename or remove one of them',
        })),
  },

  'Step names must be unique': {
    code: 'duplicate-step',
    check: (ctx) =>
      ctx.graph.allSteps
        .filter((s) => ctx.graph.byName.get(s.name) !== s)
        .map((s) => ({
          pointer: childPointer(s.pointer, 'name'),
          message: `duplicate step name \`${s.name}\` (first at line ${ctx.sourceMap.spanOf(childPointer(ctx.graph.byName.get(s.name)?.pointer ?? '', 'name')).start.line})`,
          hint: 'SageMaker identifies steps by name; rename one of them',
        })),
  },

  'A step reference must name a step of this pipeline': {
    code: 'unknown-step',
    check: (ctx) => {
      const names = [...ctx.graph.byName.keys()];
      const unknown = (name: string, pointer: string, what: string): Finding => ({
        pointer,
        message: `${what} names an unknown step \`${name}\``,
        hint: didYouMean(name, names) ?? (names.length > 0 ? `steps: ${listSome(names)}` : undefined),
      });
      const findings: Finding[] = [];
      for (const e of ctx.graph.edges) {
        if (e.kind === 'reference' || ctx.graph.byName.has(e.kind === 'branch' ? e.to : e.from)) continue;
        findings.push(unknown(e.kind === 'branch' ? e.to : e.from, e.pointer, e.kind === 'branch' ? 'the branch' : '`dependsOn`'));
      }
      for (const r of ctx.references) {
        const step = referencedStep(r.reference);
        if (step !== undefined && !ctx.graph.byName.has(step)) findings.push(unknown(step, r.pointer, 'the reference'));
      }
      for (const [pointer, step] of baselineSteps(ctx.spec)) {
        if (!ctx.graph.byName.has(step)) findings.push(unknown(step, pointer, '`baselineStep`'));
      }
      return findings;
    },
  },

  'A step may appear in only one condition branch': {
    code: 'branch-conflict',
    check: (ctx) => {
      const findings: Finding[] = [];
      for (const [step, slots] of ctx.graph.branchesOf) {
        for (const slot of slots) {
          if (slot.condition === step) {
            findings.push({ pointer: slot.pointer, message: `condition \`${step}\` lists itself in its own \`${slot.side}\`` });
          }
        }
        const [first, ...others] = slots.filter((s) => s.condition !== step);
        if (!first) continue;
        for (const slot of others) {
          findings.push({
            pointer: slot.pointer,
            message: `step \`${step}\` is already in the \`${first.side}\` of \`${first.condition}\`; a step runs in one branch only`,
            hint: 'move the shared work before the condition, or make a second step',
          });
        }
      }
      return findings;
    },
  },

  'Conditions must not contain each other': {
    code: 'branch-cycle',
    check: (ctx) => {
      // Self-listing is the branch-conflict rule's; longer loops would nest a condition inside itself.
      const nesting = ctx.graph.edges.filter((e) => e.kind === 'branch' && e.from !== e.to);
      return findCycles(ctx.graph.steps, nesting).map((cycle): Finding => ({
        pointer: (cycle[cycle.length - 1] as Edge).pointer,
        message: `conditions contain each other through their branches: ${[...cycle.map((e) => e.from), cycle[0]?.from ?? ''].join(' → ')}`,
        hint: 'a condition can sit in another condition\'s branch, but not in one of its own descendants',
      }));
    },
  },

  'A parameter reference must name a declared parameter': {
    code: 'unknown-parameter',
    check: (ctx) => {
      const declared = isRecord(ctx.spec.parameters) ? Object.keys(ctx.spec.parameters) : [];
      return ctx.references.flatMap((r): Finding[] => {
        if (r.reference.kind !== 'parameter' || declared.includes(r.reference.name)) return [];
        return [{
          pointer: r.pointer,
          message: `unknown parameter \`${r.reference.name}\``,
          hint: didYouMean(r.reference.name, declared) ?? `declare it under \`parameters:\``,
        }];
      });
    },
  },

  'An execution variable reference must name a SageMaker execution variable': {
    code: 'unknown-execution-variable',
    check: (ctx) =>
      ctx.references.flatMap((r): Finding[] => {
        if (r.reference.kind !== 'execution' || EXECUTION_VARIABLES.includes(r.reference.variable)) return [];
        return [{
          pointer: r.pointer,
          message: `unknown execution variable \`${r.reference.variable}\``,
          hint: didYouMean(r.reference.variable, EXECUTION_VARIABLES) ?? `known: ${EXECUTION_VARIABLES.join(', ')}`,
        }];
      }),
  },

  'An output reference must name an output of a processing step': {
    code: 'unknown-output',
    check: (ctx) =>
      ctx.references.flatMap((r): Finding[] => {
        if (r.reference.kind !== 'output') return [];
        const step = ctx.graph.byName.get(r.reference.step);
        if (!step) return [];
        if (!isKnownType(step.type)) return []; // the schema reports the type; guessing here is noise
        if (step.type !== 'processing') {
          return [{
            pointer: r.pointer,
            message: `\`{output: ...}\` reads outputs of processing steps; \`${step.name}\` is a ${step.type} step`,
            hint: `read one of its properties instead: {get: Steps.${step.name}.<property>}`,
          }];
        }
        const outputs = namedItems(step.body.outputs);
        if (outputs.includes(r.reference.output)) return [];
        return [{
          pointer: r.pointer,
          message: `processing step \`${step.name}\` has no output \`${r.reference.output}\``,
          hint: didYouMean(r.reference.output, outputs) ?? (outputs.length > 0 ? `its outputs: ${outputs.join(', ')}` : 'it declares no outputs'),
        }];
      }),
  },

  'A property file reference must name a property file of a processing step': {
    code: 'unknown-property-file',
    check: (ctx) => {
      const uses: { pointer: string; step: string; file: string }[] = [];
      for (const r of ctx.references) {
        if (r.reference.kind === 'property-file') uses.push({ pointer: r.pointer, step: r.reference.step, file: r.reference.propertyFile });
      }
      const report = isRecord(ctx.spec.gate) && isRecord(ctx.spec.gate.report) ? ctx.spec.gate.report.propertyFile : undefined;
      if (typeof report === 'string' && report.indexOf('.') > 0) {
        const dot = report.indexOf('.');
        uses.push({ pointer: '/gate/report/propertyFile', step: report.slice(0, dot), file: report.slice(dot + 1) });
      }
      return uses.flatMap((u): Finding[] => {
        const step = ctx.graph.byName.get(u.step);
        if (!step) {
          // References are reported by the unknown-step rule; the gate's own field is reported here.
          return u.pointer === '/gate/report/propertyFile'
            ? [{ pointer: u.pointer, message: `the gate report names an unknown step \`${u.step}\``, hint: didYouMean(u.step, ctx.graph.byName.keys()) }]
            : [];
        }
        if (!isKnownType(step.type)) return [];
        if (step.type !== PROPERTY_FILE_KIND) {
          return [{
            pointer: u.pointer,
            message: `property files belong to processing steps; \`${step.name}\` is a ${step.type} step`,
            hint: `read its properties with {get: Steps.${step.name}.<property>} instead`,
          }];
        }
        const files = namedItems(step.body.propertyFiles);
        if (files.includes(u.file)) return [];
        return [{
          pointer: u.pointer,
          message: `processing step \`${step.name}\` has no property file \`${u.file}\``,
          hint: didYouMean(u.file, files) ?? (files.length > 0 ? `its property files: ${files.join(', ')}` : 'declare it under the step\'s `propertyFiles:`'),
        }];
      });
    },
  },

  "A property file must be written to one of its step's outputs": {
    code: 'property-file-output',
    check: (ctx) =>
      ctx.graph.steps.flatMap((step): Finding[] => {
        if (!Array.isArray(step.body.propertyFiles)) return [];
        const outputs = namedItems(step.body.outputs);
        return step.body.propertyFiles.flatMap((pf, i): Finding[] => {
          if (!isRecord(pf) || typeof pf.output !== 'string' || outputs.includes(pf.output)) return [];
          return [{
            pointer: childPointer(childPointer(childPointer(step.pointer, 'propertyFiles'), i), 'output'),
            message: `property file \`${String(pf.name)}\` is in output \`${pf.output}\`, which step \`${step.name}\` does not have`,
            hint: didYouMean(pf.output, outputs) ?? (outputs.length > 0 ? `its outputs: ${outputs.join(', ')}` : 'add the output under `outputs:`'),
          }];
        });
      }),
  },

  "A property reference must name a property the step's type has": {
    code: 'unknown-property',
    check: (ctx) =>
      ctx.references.flatMap((r): Finding[] => {
        if (r.reference.kind !== 'step-property') return [];
        const step = ctx.graph.byName.get(r.reference.step);
        if (!step) return [];
        const result = checkPropertyPath(step, r.reference.path);
        if (!result || result.ok) return [];
        return [{ pointer: r.pointer, message: `\`Steps.${step.name}.${r.reference.path}\`: ${result.message}`, hint: result.hint }];
      }),
  },

  'A topModel reference must name a tuning step': {
    code: 'top-model-step',
    check: (ctx) =>
      ctx.references.flatMap((r): Finding[] => {
        if (r.reference.kind !== 'top-model') return [];
        const step = ctx.graph.byName.get(r.reference.step);
        if (!step || step.type === 'tuning' || !isKnownType(step.type)) return [];
        const tuning = ctx.graph.steps.filter((s) => s.type === 'tuning').map((s) => s.name);
        return [{
          pointer: r.pointer,
          message: `\`topModel\` reads the best jobs of a tuning step; \`${step.name}\` is a ${step.type} step`,
          hint: tuning.length > 0 ? `tuning steps here: ${listSome(tuning)}` : `for a training step, use {get: Steps.<name>.ModelArtifacts.S3ModelArtifacts}`,
        }];
      }),
  },

  'Steps must not depend on each other in a cycle': {
    code: 'cycle',
    check: (ctx) => {
      const edges = dependencyEdges(ctx);
      return findCycles(ctx.graph.steps, edges).map((cycle): Finding => {
        const closing = cycle[cycle.length - 1] as Edge;
        const names = [...cycle.map((e) => e.from), cycle[0]?.from ?? ''];
        return {
          pointer: closing.pointer,
          message: cycle.length === 1
            ? `step \`${closing.to}\` depends on itself`
            : `steps depend on each other in a cycle: ${names.join(' → ')}`,
          hint: 'remove one of the dependencies or references on this path',
        };
      });
    },
  },

  'A condition may only reference steps that run before it': {
    code: 'condition-order',
    check: (ctx) =>
      conditionOrderViolations(ctx).map((v): Finding => ({
        pointer: v.edge.pointer,
        message: `condition \`${v.condition}\` references \`${v.edge.from}\`, which runs after it${v.inBranch ? ' (in its branches)' : ''}`,
        hint: 'a condition can only read steps that have finished before it is evaluated',
      })),
  },

  'A step may not reference a step that only runs in the other branch of a condition': {
    code: 'other-branch',
    check: (ctx) => {
      const findings: Finding[] = [];
      for (const e of ctx.graph.edges) {
        if (e.kind === 'branch' || !ctx.graph.byName.has(e.from) || !ctx.graph.byName.has(e.to)) continue;
        const fromSlots = enclosingBranches(ctx.graph, e.from);
        const toSlots = enclosingBranches(ctx.graph, e.to);
        for (const f of fromSlots) {
          const t = toSlots.find((s) => s.condition === f.condition);
          if (t && t.side !== f.side) {
            findings.push({
              pointer: e.pointer,
              message: `\`${e.to}\` (in the \`${t.side}\` of \`${f.condition}\`) references \`${e.from}\`, which only runs in its \`${f.side}\``,
              hint: 'only one branch of a condition runs; move the shared step before the condition',
            });
            break;
          }
        }
      }
      return findings;
    },
  },

  "A parameter's default must match its type": {
    code: 'parameter-default',
    check: (ctx) => {
      if (!isRecord(ctx.spec.parameters)) return [];
      return Object.entries(ctx.spec.parameters).flatMap(([name, p]): Finding[] => {
        if (!isRecord(p) || p.default === undefined || typeof p.type !== 'string') return [];
        const pointer = childPointer(childPointer('/parameters', name), 'default');
        const ok = ({
          String: typeof p.default === 'string',
          Integer: typeof p.default === 'number' && Number.isInteger(p.default),
          Float: typeof p.default === 'number',
          Boolean: typeof p.default === 'boolean',
        } as Record<string, boolean | undefined>)[p.type];
        if (ok !== false) return [];
        const hint = p.type === 'Boolean' && typeof p.default === 'string'
          ? 'write true or false, without quotes'
          : p.type === 'Integer' && typeof p.default === 'number' ? 'use a whole number, or make the parameter a Float' : undefined;
        return [{ pointer, message: `parameter \`${name}\` is ${article(p.type)} ${p.type}, but its default is ${describe(p.default)}`, hint }];
      });
    },
  },

  "A parameter's default must be one of its enum values": {
    code: 'parameter-enum',
    check: (ctx) => {
      if (!isRecord(ctx.spec.parameters)) return [];
      return Object.entries(ctx.spec.parameters).flatMap(([name, p]): Finding[] => {
        if (!isRecord(p) || !Array.isArray(p.enum)) return [];
        const base = childPointer('/parameters', name);
        if (p.type !== undefined && p.type !== 'String') {
          return [{ pointer: childPointer(base, 'enum'), at: 'key', message: `only String parameters take \`enum\`; \`${name}\` is ${article(String(p.type))} ${String(p.type)}` }];
        }
        if (p.default === undefined || p.enum.includes(p.default)) return [];
        const allowed = p.enum.map(String);
        return [{
          pointer: childPointer(base, 'default'),
          message: `the default \`${String(p.default)}\` of parameter \`${name}\` is not one of its enum values: ${allowed.join(', ')}`,
          hint: typeof p.default === 'string' ? didYouMean(p.default, allowed) : undefined,
        }];
      });
    },
  },

  'Condition operands must have comparable types': {
    code: 'condition-operand-type',
    check: (ctx) => ctx.graph.steps.filter((s) => s.type === 'condition').flatMap((s) => operandFindings(ctx, s)),
  },

  'Local paths must stay inside the repository': {
    code: 'path-escapes',
    check: (ctx) =>
      localPaths(ctx).flatMap(({ pointer, path }): Finding[] => {
        const resolved = resolveSpecPath(ctx.specPath ?? ctx.sourceMap.file, path);
        if (resolved.ok) return [];
        return [{
          pointer,
          message: resolved.reason === 'absolute'
            ? `\`${path}\` is an absolute path; local paths are relative to the spec file`
            : `\`${path}\` points outside the repository`,
          hint: 'keep code inside the repository, next to the spec or below its folder',
        }];
      }),
  },

  'Local code files must exist': {
    code: 'missing-file',
    check: (ctx) => {
      const files = ctx.files;
      if (!files) return [];
      return localPaths(ctx).flatMap(({ pointer, path }): Finding[] => {
        const resolved = resolveSpecPath(ctx.specPath ?? ctx.sourceMap.file, path);
        if (!resolved.ok) return [];
        if (files.readFile(resolved.path) !== undefined || files.listDirectory(resolved.path) !== undefined) return [];
        return [{ pointer, message: `\`${path}\` does not exist (looked for \`${resolved.path}\` in the repository)`, hint: 'paths are relative to the spec file' }];
      });
    },
  },
};

/** Runs every rule; a rule that throws becomes an `internal` diagnostic rather than a crash. */
export function checkRules(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [sentence, rule] of Object.entries(rules)) {
    let findings: Finding[];
    try {
      findings = rule.check(ctx);
    } catch (error) {
      out.push(diagnosticAtValue(ctx.sourceMap, '', {
        code: 'internal',
        message: `internal error in the rule "${sentence}": ${error instanceof Error ? error.message : String(error)}`,
      }));
      continue;
    }
    for (const f of findings) {
      const problem = { code: rule.code, message: f.message, hint: f.hint, severity: f.severity ?? 'error' } as const;
      out.push(
        f.span ? diagnosticAt(ctx.sourceMap, f.span, problem, f.pointer)
        : f.at === 'key' ? diagnosticAtKey(ctx.sourceMap, f.pointer, problem)
        : diagnosticAtValue(ctx.sourceMap, f.pointer, problem),
      );
    }
  }
  return out;
}

/** Builds the rule context of a parsed spec. */
export function ruleContext(spec: Record<string, unknown>, fields: Omit<RuleContext, 'spec' | 'graph' | 'references'>, references: LocatedReference[]): RuleContext {
  return { spec, graph: buildStepGraph(spec), references, ...fields };
}

// --- helpers -------------------------------------------------------------------------------

// Spec step types → definition step types, whose property shapes properties.ts knows.
const DEFINITION_TYPES: Record<string, string> = {
  processing: 'Processing', training: 'Training', tuning: 'Tuning', transform: 'Transform', model: 'Model',
  'register-model': 'RegisterModel', condition: 'Condition', fail: 'Fail', lambda: 'Lambda', callback: 'Callback',
  'quality-check': 'QualityCheck', 'clarify-check': 'ClarifyCheck', emr: 'EMR',
};

function isKnownType(type: string): boolean {
  return Object.prototype.hasOwnProperty.call(DEFINITION_TYPES, type);
}

/** Checks `path` on `step`'s property shape; undefined when the type is unknown (the schema says so). */
function checkPropertyPath(step: StepInfo, path: string): PropertyPathResult | undefined {
  const definitionType = DEFINITION_TYPES[step.type];
  if (definitionType === undefined) return undefined;
  const shape = propertyShapeForStepType(definitionType);
  if (shape === undefined) return { ok: false, message: `${article(step.type)} ${step.type} step has no properties` };
  return validatePropertyPath(shape, path, { outputParameters: outputParameterNames(step.body.outputs) });
}

/** Declared outputs of a Lambda or Callback step, whichever way the spec lists them. */
function outputParameterNames(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap((x) => (typeof x === 'string' ? [x] : isRecord(x) && typeof x.name === 'string' ? [x.name] : []));
  return isRecord(value) ? Object.keys(value) : [];
}

/** dependsOn + data references, minus what the condition-order rule reports (one message per problem). */
function dependencyEdges(ctx: RuleContext): Edge[] {
  const reported = new Set(conditionOrderViolations(ctx).map((v) => v.edge));
  return ctx.graph.edges.filter((e) => e.kind !== 'branch' && !reported.has(e));
}

interface OrderViolation {
  condition: string;
  edge: Edge;
  inBranch: boolean;
}

function conditionOrderViolations(ctx: RuleContext): OrderViolation[] {
  const out: OrderViolation[] = [];
  for (const c of ctx.graph.steps) {
    if (c.type !== 'condition') continue;
    const after = downstreamOf(c.name, ctx.graph.edges);
    const inBranches = new Set<string>();
    for (const [step, slots] of ctx.graph.branchesOf) if (slots.some((s) => s.condition === c.name)) inBranches.add(step);
    for (const e of ctx.graph.edges) {
      if (e.to !== c.name || e.kind === 'branch' || e.from === c.name) continue;
      if (after.has(e.from)) out.push({ condition: c.name, edge: e, inBranch: inBranches.has(e.from) });
    }
  }
  return out;
}

function baselineSteps(spec: Record<string, unknown>): [string, string][] {
  const monitoring = isRecord(spec.release) && isRecord(spec.release.monitoring) ? spec.release.monitoring : undefined;
  if (!monitoring) return [];
  const out: [string, string][] = [];
  for (const [kind, schedule] of Object.entries(monitoring)) {
    if (isRecord(schedule) && typeof schedule.baselineStep === 'string') {
      out.push([`/release/monitoring/${kind}/baselineStep`, schedule.baselineStep]);
    }
  }
  return out;
}

function namedItems(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((x) => (isRecord(x) && typeof x.name === 'string' ? [x.name] : []));
}

const localPathCache = new WeakMap<RuleContext, { pointer: string; path: string }[]>();

/** Literal local paths the schema marks as "relative to the spec file" (URIs and expressions excluded). */
function localPaths(ctx: RuleContext): { pointer: string; path: string }[] {
  // Two rules need them and the schema walk is the costly part: find them once per spec.
  const cached = localPathCache.get(ctx);
  if (cached) return cached;
  const found = annotatedPointers(ctx.spec, (d) => /relative to the spec file/i.test(d)).flatMap((pointer) => {
    const value = valueAt(ctx.spec, pointer);
    if (typeof value !== 'string' || value === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return [];
    return [{ pointer, path: value }];
  });
  localPathCache.set(ctx, found);
  return found;
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const raw of pointer.split('/').slice(1)) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isRecord(node)) node = Object.prototype.hasOwnProperty.call(node, token) ? node[token] : undefined;
    else return undefined;
  }
  return node;
}

const ORDERING = new Set(['greaterThan', 'greaterThanOrEqualTo', 'lessThan', 'lessThanOrEqualTo']);

type OperandType = 'string' | 'number' | 'boolean';

/**
 * Comparisons of a condition step (`conditions: [{greaterThan: [left, right]}, {not: ...}, {or: [...]}]`)
 * whose operand types are known from literals, parameter types or property shapes. Operands read
 * from JsonGet or unknown properties are undecidable and never flagged.
 */
function operandFindings(ctx: RuleContext, step: StepInfo): Finding[] {
  const params = isRecord(ctx.spec.parameters) ? ctx.spec.parameters : {};
  const typeOf = (v: unknown): OperandType | undefined => {
    if (typeof v === 'string') return 'string';
    if (typeof v === 'number') return 'number';
    if (typeof v === 'boolean') return 'boolean';
    if (!isRecord(v) || typeof v.get !== 'string') return undefined;
    const ref = parseGetText(v.get);
    if (ref?.kind === 'parameter') {
      const p = params[ref.name];
      const t = isRecord(p) ? p.type : undefined;
      return t === 'String' ? 'string' : t === 'Integer' || t === 'Float' ? 'number' : t === 'Boolean' ? 'boolean' : undefined;
    }
    // Date-times compare in order; the other execution variables are names and ARNs.
    if (ref?.kind === 'execution') return ref.variable === 'StartDateTime' || ref.variable === 'CurrentDateTime' ? undefined : 'string';
    const target = ref?.kind === 'step-property' ? ctx.graph.byName.get(ref.step) : undefined;
    if (ref?.kind === 'step-property' && target) {
      const r = checkPropertyPath(target, ref.path);
      if (r?.ok) return r.type === 'string' ? 'string' : r.type === 'integer' || r.type === 'number' ? 'number' : r.type === 'boolean' ? 'boolean' : undefined;
    }
    return undefined;
  };
  const findings: Finding[] = [];
  const visit = (condition: unknown, pointer: string): void => {
    if (!isRecord(condition)) return;
    for (const [op, body] of Object.entries(condition)) {
      const at = childPointer(pointer, op);
      if (op === 'not') visit(body, at);
      else if (op === 'or' && Array.isArray(body)) body.forEach((c, i) => visit(c, childPointer(at, i)));
      else if (op === 'in' && isRecord(body) && Array.isArray(body.in)) {
        const vt = typeOf(body.value);
        if (vt === undefined) continue;
        body.in.forEach((item, i) => {
          const itemType = typeOf(item);
          if (itemType !== undefined && itemType !== vt) {
            findings.push({
              pointer: childPointer(childPointer(at, 'in'), i),
              message: `\`in\` looks for ${article(vt)} ${vt}, but this candidate is ${article(itemType)} ${itemType}; it can never match`,
            });
          }
        });
      }
      else if (Array.isArray(body) && body.length === 2) {
        const types = body.map(typeOf);
        if (ORDERING.has(op)) {
          types.forEach((t, i) => {
            if (t !== undefined && t !== 'number') {
              findings.push({
                pointer: childPointer(at, i),
                message: `\`${op}\` compares numbers, but its ${i === 0 ? 'left' : 'right'} operand is ${article(t)} ${t}`,
                hint: 'compare numbers (Integer or Float parameters, numeric properties or JsonGet values), or use `equals`',
              });
            }
          });
        } else if (op === 'equals' && types[0] !== undefined && types[1] !== undefined && types[0] !== types[1]) {
          findings.push({
            pointer: childPointer(at, 1),
            message: `\`equals\` compares ${article(types[0])} ${types[0]} with ${article(types[1])} ${types[1]}; the condition can never hold`,
          });
        }
      }
    }
  };
  const conditions = step.body.conditions;
  if (Array.isArray(conditions)) conditions.forEach((c, i) => visit(c, childPointer(childPointer(step.pointer, 'conditions'), i)));
  return findings;
}

/** The first names of a long list, so a hint stays one line. */
function listSome(names: readonly string[], max = 12): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')}, … (${names.length - max} more)`;
}

function article(word: string): string {
  return /^[aeiouAEIOU]/.test(word) ? 'an' : 'a';
}

function describe(v: unknown): string {
  if (typeof v === 'string') return `the string \`${v}\``;
  return `\`${String(v)}\``;
}
