import { describe, expect, it } from 'vitest';
import { buildStepGraph, downstreamOf, enclosingBranches, findCycles } from '../../../src/spec/step-graph.js';

const spec = {
  steps: [
    { name: 'A', type: 'processing' },
    { name: 'B', type: 'processing', dependsOn: ['A'], arguments: [{ get: 'Steps.A.ProcessingJobName' }] },
    { name: 'K', type: 'condition', ifSteps: ['C'], elseSteps: ['D'] },
    { name: 'C', type: 'processing' },
    { name: 'D', type: 'fail', dependsOn: ['Ghost'] },
    { name: 'A', type: 'fail', dependsOn: ['B'] },
    'not a step',
  ],
};

describe('step graph', () => {
  const g = buildStepGraph(spec);
  it('lists steps by first name and keeps duplicates for their own rule', () => {
    expect(g.steps.map((s) => s.name)).toEqual(['A', 'B', 'K', 'C', 'D']);
    expect(g.allSteps.map((s) => s.pointer)).toEqual(['/steps/0', '/steps/1', '/steps/2', '/steps/3', '/steps/4', '/steps/5']);
  });

  it('has an edge per dependsOn item, data reference and branch member, with its pointer', () => {
    expect(g.edges.map((e) => `${e.kind}:${e.from}>${e.to}@${e.pointer}`)).toEqual([
      'depends-on:A>B@/steps/1/dependsOn/0',
      'reference:A>B@/steps/1/arguments/0',
      'branch:K>C@/steps/2/ifSteps/0',
      'branch:K>D@/steps/2/elseSteps/0',
      'depends-on:Ghost>D@/steps/4/dependsOn/0',
      'depends-on:B>A@/steps/5/dependsOn/0',
    ]);
  });

  it('knows the branch each step runs in and what runs after a step', () => {
    expect(enclosingBranches(g, 'D')).toEqual([{ condition: 'K', side: 'elseSteps', pointer: '/steps/2/elseSteps/0' }]);
    expect(enclosingBranches(g, 'A')).toEqual([]);
    expect([...downstreamOf('K', g.edges)].sort()).toEqual(['C', 'D']);
  });

  it('finds each cycle once, starting at its first step, ignoring unknown steps', () => {
    const cycles = findCycles(g.steps, g.edges.filter((e) => e.kind !== 'branch'));
    expect(cycles.map((c) => c.map((e) => `${e.from}>${e.to}`))).toEqual([['A>B', 'B>A']]);
  });
});
