/**
 * The steps of a spec as a graph: who must run before whom (dependsOn and data references) and
 * which condition branch each step sits in. Built defensively from data that may not have passed
 * the schema, because the semantic rules report alongside schema errors.
 */
import { listReferences, referencedStep, type LocatedReference } from './references.js';
import { childPointer } from './source-map.js';

export interface StepInfo {
  name: string;
  type: string;
  index: number;
  pointer: string;
  body: Record<string, unknown>;
}

/** `from` must finish before `to` starts; `pointer` is where `to` says so. */
export interface Edge {
  from: string;
  to: string;
  pointer: string;
  kind: 'depends-on' | 'reference' | 'branch';
}

export interface BranchSlot {
  condition: string;
  side: 'ifSteps' | 'elseSteps';
  pointer: string;
}

export interface StepGraph {
  /** Steps in document order (first occurrence of each name). */
  steps: StepInfo[];
  byName: Map<string, StepInfo>;
  /** Every step with a string name, duplicates included, for the duplicate-name rule. */
  allSteps: StepInfo[];
  edges: Edge[];
  /** Branches that list each step (more than one is itself an error). */
  branchesOf: Map<string, BranchSlot[]>;
  /** References inside each step's body, by step name. */
  referencesOf: Map<string, LocatedReference[]>;
}

/** Builds the graph of a spec's `steps` list. */
export function buildStepGraph(spec: Record<string, unknown>): StepGraph {
  const rawSteps = Array.isArray(spec.steps) ? spec.steps : [];
  const allSteps: StepInfo[] = [];
  rawSteps.forEach((raw, index) => {
    if (!isRecord(raw) || typeof raw.name !== 'string') return;
    allSteps.push({
      name: raw.name,
      type: typeof raw.type === 'string' ? raw.type : '',
      index,
      pointer: childPointer('/steps', index),
      body: raw,
    });
  });
  const byName = new Map<string, StepInfo>();
  for (const s of allSteps) if (!byName.has(s.name)) byName.set(s.name, s);
  const steps = [...byName.values()];

  const edges: Edge[] = [];
  const branchesOf = new Map<string, BranchSlot[]>();
  const referencesOf = new Map<string, LocatedReference[]>();
  // Duplicates contribute their edges too: their references are checked like any other, and
  // the duplicate name itself is reported by its own rule.
  for (const step of allSteps) {
    for (const [i, dep] of stringItems(step.body.dependsOn)) {
      edges.push({ from: dep, to: step.name, pointer: childPointer(childPointer(step.pointer, 'dependsOn'), i), kind: 'depends-on' });
    }
    const refs = listReferences(step.body, step.pointer);
    referencesOf.set(step.name, [...(referencesOf.get(step.name) ?? []), ...refs]);
    for (const r of refs) {
      const target = referencedStep(r.reference);
      if (target !== undefined) edges.push({ from: target, to: step.name, pointer: r.pointer, kind: 'reference' });
    }
    if (step.type === 'condition') {
      for (const side of ['ifSteps', 'elseSteps'] as const) {
        for (const [i, member] of stringItems(step.body[side])) {
          const pointer = childPointer(childPointer(step.pointer, side), i);
          edges.push({ from: step.name, to: member, pointer, kind: 'branch' });
          const slots = branchesOf.get(member) ?? [];
          slots.push({ condition: step.name, side, pointer });
          branchesOf.set(member, slots);
        }
      }
    }
  }
  return { steps, byName, allSteps, edges, branchesOf, referencesOf };
}

/**
 * The enclosing branches of a step, innermost first, following the first branch that lists it
 * (steps listed twice are reported elsewhere). Stops on membership loops.
 */
export function enclosingBranches(graph: StepGraph, step: string): BranchSlot[] {
  const out: BranchSlot[] = [];
  const seen = new Set<string>([step]);
  for (let current = step; ; ) {
    const slot = graph.branchesOf.get(current)?.[0];
    if (!slot || seen.has(slot.condition)) return out;
    out.push(slot);
    seen.add(slot.condition);
    current = slot.condition;
  }
}

/** Steps reachable from `start` along `edges` (not including `start` unless on a loop). */
export function downstreamOf(start: string, edges: readonly Edge[]): Set<string> {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const seen = new Set<string>();
  const todo = [...(next.get(start) ?? [])];
  while (todo.length > 0) {
    const n = todo.pop() as string;
    if (seen.has(n)) continue;
    seen.add(n);
    todo.push(...(next.get(n) ?? []));
  }
  return seen;
}

/**
 * Cycles among known steps: one per strongly connected component, as a closed path of edges
 * starting at the component's first step in document order.
 */
export function findCycles(steps: readonly StepInfo[], edges: readonly Edge[]): Edge[][] {
  const known = new Set(steps.map((s) => s.name));
  const order = new Map(steps.map((s, i) => [s.name, i]));
  const out = new Map<string, Edge[]>();
  for (const e of edges) {
    if (!known.has(e.from) || !known.has(e.to)) continue;
    out.set(e.from, [...(out.get(e.from) ?? []), e]);
  }
  // Tarjan's algorithm, iterative so that long chains cannot exhaust the stack.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  for (const root of steps.map((s) => s.name)) {
    if (index.has(root)) continue;
    const work: { node: string; i: number }[] = [{ node: root, i: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: string; i: number };
      const succ = out.get(frame.node) ?? [];
      if (frame.i < succ.length) {
        const w = (succ[frame.i++] as Edge).to;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.node, Math.min(low.get(frame.node) ?? 0, index.get(w) ?? 0));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) ?? 0, low.get(frame.node) ?? 0));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        for (;;) {
          const w = stack.pop() as string;
          onStack.delete(w);
          component.push(w);
          if (w === frame.node) break;
        }
        components.push(component);
      }
    }
  }
  const cycles: Edge[][] = [];
  for (const component of components) {
    const members = new Set(component);
    const start = [...component].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0))[0] as string;
    const self = (out.get(start) ?? []).find((e) => e.to === start);
    if (component.length === 1 && !self) continue;
    const path = self ? [self] : shortestCycle(start, members, out);
    if (path) cycles.push(path);
  }
  return cycles.sort((a, b) => (order.get(a[0]?.from ?? '') ?? 0) - (order.get(b[0]?.from ?? '') ?? 0));
}

/** Breadth-first: the shortest path of edges from `start` back to itself inside `members`. */
function shortestCycle(start: string, members: Set<string>, out: Map<string, Edge[]>): Edge[] | undefined {
  const via = new Map<string, Edge>();
  const queue = [start];
  const visited = new Set<string>();
  while (queue.length > 0) {
    const n = queue.shift() as string;
    for (const e of out.get(n) ?? []) {
      if (!members.has(e.to)) continue;
      if (e.to === start) {
        const path = [e];
        for (let cur = n; cur !== start; ) {
          const back = via.get(cur) as Edge;
          path.unshift(back);
          cur = back.from;
        }
        return path;
      }
      if (visited.has(e.to)) continue;
      visited.add(e.to);
      via.set(e.to, e);
      queue.push(e.to);
    }
  }
  return undefined;
}

function stringItems(value: unknown): [number, string][] {
  if (!Array.isArray(value)) return [];
  const out: [number, string][] = [];
  value.forEach((v, i) => {
    if (typeof v === 'string') out.push([i, v]);
  });
  return out;
}

/** True for a plain mapping. */
export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
