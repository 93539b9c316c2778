import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../src/compiler/types.js';
import type { GateResult } from '../../../src/ops/gate.js';
import { evaluateRules } from '../../../src/ops/metrics.js';
import { metricName, renderOpenMetrics } from '../../../src/platform/openmetrics.js';
import { GITHUB_COMMENT_LIMIT, mermaidDag, mermaidLabel, renderReportMarkdown, renderReportText, reportMarker } from '../../../src/platform/report.js';

const EXEC = 'arn:aws:sagemaker:us-east-1:111122223333:pipeline/demo/execution/e1';

const DEFINITION: JsonObject = {
  Steps: [
    { Name: 'Train', Type: 'Training', Arguments: {} },
    { Name: 'Evaluate', Type: 'Processing', Arguments: { In: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' } } },
    {
      Name: 'Check',
      Type: 'Condition',
      DependsOn: ['Train'],
      Arguments: {
        Conditions: [{ Type: 'LessThanOrEqualTo', LeftValue: { 'Std:JsonGet': { PropertyFile: { Get: 'Steps.Evaluate.PropertyFiles.R' }, Path: 'x' } }, RightValue: 1 }],
        IfSteps: [{ Name: 'Register-RegisterModel', Type: 'RegisterModel', Arguments: {} }],
        ElseSteps: [{ Name: 'Fail', Type: 'Fail', Arguments: {} }],
      },
    },
  ],
};

function result(overrides: Partial<GateResult> = {}, rules = evaluateRules([{ path: 'm.f1', label: 'F1', direction: 'higher-is-better', threshold: 0.7, maxRegression: { relative: 0.02 } }], { m: { f1: 0.8 } }, { m: { f1: 0.9 } })): GateResult {
  return {
    ...rules,
    pipelineName: 'demo',
    executionArn: EXEC,
    executionStatus: 'Succeeded',
    steps: [
      { name: 'Train', status: 'Succeeded', durationSeconds: 65 },
      { name: 'Evaluate', status: 'Succeeded' },
      { name: 'Check', status: 'Succeeded' },
      { name: 'Fail', status: 'Failed', failureReason: 'too bad' },
    ],
    reportUri: 's3://bucket/evaluation.json',
    modelPackageGroup: 'demo-group',
    baseline: { modelPackageArn: 'arn:aws:sagemaker:us-east-1:111122223333:model-package/demo-group/3', version: 3 },
    ...overrides,
  };
}

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '[click](javascript:alert(1))',
  '](javascript:alert(1))',
  '@everyone',
  'a | b',
  'line1\nline2',
  'x"] --> evil["y',
  '```',
  '%%{init: {"securityLevel": "loose"}}%%',
  '\u001b[31mred',
];

describe('report markdown', () => {
  it('starts with the hidden marker and holds verdict, metric table, steps, DAG and links', () => {
    const md = renderReportMarkdown(result(), DEFINITION, { region: 'us-east-1' });
    expect(md.startsWith('<!-- smpk:report pipeline=demo -->\n')).toBe(true);
    expect(md).toContain('### ❌ Metric gate failed: demo');
    expect(md).toContain('| Metric | Candidate | Baseline | Delta | Threshold / limit | Result |');
    expect(md).toContain('| F1 | 0.8 | 0.9 | -0.1 | ≥ 0.7; ≥ 0.882 \\(regression ≤ 2%\\) | FAIL: regressed by 0.1 against the baseline 0.9; at most 2% of 0.9 allowed \\(minimum 0.882\\) |');
    expect(md).toContain('https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/pipelines/demo/executions/e1');
    expect(md).toContain('```mermaid\nflowchart TD');
    expect(md).toContain('| Fail | Failed |  |  | too bad |  |');
    expect(md).toContain('model-package/demo-group/3');
  });

  it('says precisely what no-baseline means', () => {
    const md = renderReportMarkdown(result({ verdict: 'no-baseline', baselineNote: 'no Approved model package in group demo-group yet' }, evaluateRules([{ path: 'a', direction: 'higher-is-better' }], { a: 1 }, undefined)), DEFINITION);
    expect(md).toContain('passed on thresholds only (no baseline)');
    expect(renderReportMarkdown({ ...result({ verdict: 'no-baseline', baselineNote: 'none yet' }), baseline: undefined } as never, undefined)).toContain(
      'Baseline: none — none yet. Regression limits were not checked; thresholds were.',
    );
  });

  it('hostile metric labels, values, reasons and step names never reach the Markdown unescaped', () => {
    for (const evil of HOSTILE) {
      const rules = evaluateRules([{ path: 'm', label: evil, direction: 'higher-is-better' }], { m: evil }, undefined);
      const md = renderReportMarkdown(
        result({ pipelineName: evil, steps: [{ name: evil, status: evil, failureReason: evil }], baselineNote: evil, reportUri: evil }, rules),
        { Steps: [{ Name: evil, Type: 'Processing', Arguments: {} }] },
      );
      expect(md).not.toContain('<img');
      expect(md).not.toMatch(/\]\(javascript:/);
      expect(md).not.toContain('@everyone');
      expect(md).not.toContain('"] -->');
      expect(md).not.toContain('%%{');
      expect(md).not.toContain('\u001b');
      // The only fences are ours: one mermaid block, opened and closed.
      expect(md.match(/```/g)?.length).toBe(2);
      // Table rows stay rows: every line of the metric table has the same number of unescaped pipes.
      const rows = md.split('\n').filter((l) => l.startsWith('| '));
      for (const row of rows) expect(row.replace(/\\\|/g, '').split('|').length).toBeGreaterThan(2);
      const metricRows = rows.filter((r) => r.includes('not a number'));
      expect(metricRows).toHaveLength(1);
      expect((metricRows[0] as string).replace(/\\\|/g, '').split('|')).toHaveLength(8);
      // The marker cannot be closed early.
      expect(md.split('\n')[0]).toMatch(/^<!-- smpk:report pipeline=[A-Za-z0-9_.-]* -->$/);
    }
  });

  it('cuts oversize bodies below 65,536: the DAG first, then step rows, with a pointer to the job summary', () => {
    const steps = Array.from({ length: 3000 }, (_, i) => ({ name: `Step${i}-${'x'.repeat(40)}`, status: 'Succeeded', failureReason: 'r'.repeat(30) }));
    const definition = { Steps: steps.map((s) => ({ Name: s.name, Type: 'Processing', Arguments: {} })) };
    const md = renderReportMarkdown(result({ steps }), definition, { runUrl: 'https://github.com/o/r/actions/runs/1' });
    expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(md).not.toContain('```mermaid');
    expect(md).toContain('| F1 |');
    expect(md).toMatch(/…and \d+ more steps\./);
    expect(md).toContain('The report was shortened to fit a comment (the pipeline graph and some steps left out); the full report is in the job summary or the report artifact of [this run](https://github.com/o/r/actions/runs/1).');
    // Big enough for the steps but not the graph: only the graph goes.
    const few = steps.slice(0, 500);
    const full = renderReportMarkdown(result({ steps: few }), { Steps: definition.Steps.slice(0, 500) }, { maxLength: 1e9 });
    const withoutDag = renderReportMarkdown(result({ steps: few }), { Steps: definition.Steps.slice(0, 500) }, { maxLength: full.length - 1 });
    expect(withoutDag).not.toContain('```mermaid');
    expect(withoutDag).not.toContain('more steps');
    expect(withoutDag).toContain('(the pipeline graph left out)');
  });
});

describe('mermaid DAG', () => {
  it('has index ids, quoted labels, DependsOn, data and if/else edges, and status classes', () => {
    const dag = mermaidDag(DEFINITION, result().steps);
    expect(dag).toBe(
      [
        'flowchart TD',
        '  s0["Train"]',
        '  s1["Evaluate"]',
        '  s2["Check"]',
        '  s3["Register-RegisterModel"]',
        '  s4["Fail"]',
        '  s0 --> s1',
        '  s0 --> s2',
        '  s2 -->|if| s3',
        '  s2 -->|else| s4',
        '  s1 --> s2',
        '  classDef succeeded fill:#d3f9d8,stroke:#2b8a3e',
        '  classDef failed fill:#ffe3e3,stroke:#c92a2a',
        '  classDef executing fill:#e7f5ff,stroke:#1971c2',
        '  classDef stopped fill:#fff3bf,stroke:#e67700',
        '  classDef notrun fill:#f1f3f5,stroke:#868e96',
        '  class s0,s1,s2 succeeded',
        '  class s3 notrun',
        '  class s4 failed',
        '',
      ].join('\n'),
    );
  });

  it('labels cannot break out of their quotes', () => {
    expect(mermaidLabel('a"] --> b["c')).toBe('a#34;#93; --#62; b#91;#34;c');
    expect(mermaidLabel('x\ny')).toBe('x y');
    expect(mermaidLabel('click s0 call alert()')).toBe('click s0 call alert#40;#41;');
  });
});

describe('plain text report', () => {
  it('has the verdict, the tables and no control characters', () => {
    const rules = evaluateRules([{ path: 'm', label: 'F1\u001b[2J', direction: 'higher-is-better' }], { m: 0.5 }, undefined);
    const text = renderReportText(result({ verdict: 'no-baseline', baseline: undefined, baselineNote: 'none yet\r\n' } as never, rules));
    expect(text).toContain('Metric gate PASSED on thresholds only (no baseline): demo');
    expect(text).toContain('baseline:  none — none yet ; regression limits not checked');
    expect(text).toMatch(/F1 \[2J\s+0\.5/);
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(text).toContain('Fail      Failed');
  });
});

describe('OpenMetrics', () => {
  it('sanitizes names, adds baselines and the verdict, ends with # EOF', () => {
    const rules = evaluateRules(
      [
        { path: 'a', label: 'Test MSE', direction: 'lower-is-better' },
        { path: 'b', label: '1st <img onerror>', direction: 'higher-is-better' },
        { path: 'c', label: 'Test-MSE', direction: 'lower-is-better' },
        { path: 'd', label: 'missing', direction: 'lower-is-better', required: false },
      ],
      { a: 4.5, b: 0.25, c: 1e-7 },
      { a: 4 },
    );
    expect(renderOpenMetrics(result({}, rules))).toBe(
      ['test_mse 4.5', 'test_mse_baseline 4', '_1st_img_onerror 0.25', 'test_mse_2 1e-7', 'smpk_gate_passed 1', '# EOF', ''].join('\n'),
    );
    for (const name of ['', '---', 'ok_name', 'Ünïcode', '9lives']) expect(metricName(name)).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
  });

  it('the marker is stable and safe', () => {
    expect(reportMarker('demo-pipeline')).toBe('<!-- smpk:report pipeline=demo-pipeline -->');
    expect(reportMarker('a --> <b>')).toBe('<!-- smpk:report pipeline=a_-___b_ -->');
  });
});
