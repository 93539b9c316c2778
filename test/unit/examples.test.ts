/**
 * The example specs users copy: every one loads without a diagnostic and compiles, every Python
 * file beside them is valid Python 3, and the abalone-local scripts really run on the shipped
 * data: by hand, the way the local backend runs them (the spec's own arguments and
 * hyperparameters, /opt/ml mapped into a sandbox), and as the compiled definition executed by the
 * local engine.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startExecution } from '../../src/local/engine/engine.js';
import { compileSpecFile } from '../../src/ops/compile.js';
import { nodeSpecFileSystem } from '../../src/platform/node-fs.js';
import { nodeSourceFiles } from '../../src/platform/source-files.js';
import { createFakePorts } from './local/engine/fakes.js';

const root = path.resolve(import.meta.dirname, '../..');
const specsDir = path.join(root, 'pipeline-specs');
const specFiles = readdirSync(specsDir)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort();
const python = process.env['PYTHON'] ?? 'python3';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

/** Runs python3; the byte-code cache goes to a scratch directory so nothing lands in pipeline-specs/. */
function runPython(args: string[], options: { cwd?: string; env?: Record<string, string>; cacheDir: string }): string {
  return execFileSync(python, args, {
    cwd: options.cwd ?? root,
    env: { PATH: process.env['PATH'] ?? '', PYTHONPYCACHEPREFIX: options.cacheDir, PYTHONHASHSEED: '0', ...options.env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('example specs', () => {
  it('are all there', () => {
    expect(specFiles).toEqual([
      'abalone-local.yaml',
      'batch-inference.yaml',
      'hpo-training.yaml',
      'kg-relation-extraction.yaml',
      'question-understanding.yaml',
      'sts-model-quality.yaml',
    ]);
  });

  it.each(specFiles)('%s names the schema for editors on its first line', (name) => {
    const first = readFileSync(path.join(specsDir, name), 'utf8').split('\n')[0];
    expect(first).toBe('# yaml-language-server: $schema=../schemas/pipeline-spec.schema.json');
  });

  it.each(specFiles)('%s loads without diagnostics and compiles', (name) => {
    const compilation = compileSpecFile({
      fs: { ...nodeSpecFileSystem, cwd: () => root },
      root,
      files: nodeSourceFiles(root),
      file: `pipeline-specs/${name}`,
      options: { region: 'us-east-1' },
      // The AWS examples leave role and bucket to CI, as users' specs do.
      validateOnly: true,
    });
    expect(compilation.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`)).toEqual([]);
    expect(compilation.ok).toBe(true);
    expect(compilation.result?.definition).toBeDefined();
  });
});

describe('example code', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'smpk-examples-'));
  });
  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  const pythonFiles = walk(specsDir)
    .filter((file) => file.endsWith('.py'))
    .map((file) => path.relative(root, file))
    .sort();

  it('has Python files', () => {
    expect(pythonFiles.length).toBeGreaterThan(20);
  });

  it('are all valid Python 3 (py_compile)', () => {
    // One interpreter for all files (fast); each failure is reported with its file and line.
    const check = [
      'import py_compile, sys',
      'for path in sys.argv[1:]:',
      '    try:',
      '        py_compile.compile(path, doraise=True)',
      '    except py_compile.PyCompileError as error:',
      '        print(error.msg)',
    ].join('\n');
    expect(runPython(['-c', check, ...pythonFiles], { cacheDir: path.join(scratch, 'pycache') }).trim()).toBe('');
  });

  it('leaves no byte-code in pipeline-specs/', () => {
    expect(walk(specsDir).filter((file) => file.includes('__pycache__') || file.endsWith('.pyc'))).toEqual([]);
  });
});

/** The parts of abalone-local.yaml the run below follows. */
interface AbaloneSpec {
  parameters: Record<string, { default?: string | number | boolean }>;
  steps: {
    name: string;
    code?: string;
    arguments?: string[];
    inputs?: { source: unknown; destination: string }[];
    estimator?: { entryPoint: string; sourceDir: string; hyperparameters: Record<string, unknown> };
  }[];
}

describe('abalone-local scripts', () => {
  const exampleDir = path.join(specsDir, 'abalone-local');
  let sandbox: string;
  const spec = parse(readFileSync(path.join(specsDir, 'abalone-local.yaml'), 'utf8')) as AbaloneSpec;
  const step = (name: string) => {
    const found = spec.steps.find((s) => s.name === name);
    if (!found) throw new Error(`abalone-local.yaml has no step ${name}`);
    return found;
  };
  /** A container path under /opt/ml, inside the sandbox (what the local engine does). */
  const host = (containerPath: string) => path.join(sandbox, containerPath);
  const run = (args: string[], env: Record<string, string> = {}) =>
    runPython(args, { cwd: sandbox, env, cacheDir: path.join(sandbox, 'pycache') });
  /** Arguments of a processing step with /opt/ml paths mapped. */
  const processingArgs = (name: string) => (step(name).arguments ?? []).map((a) => (a.startsWith('/opt/ml/') ? host(a) : a));

  beforeAll(() => {
    sandbox = mkdtempSync(path.join(os.tmpdir(), 'smpk-abalone-'));
  });
  afterAll(() => {
    rmSync(sandbox, { recursive: true, force: true });
  });

  it('ships the dataset its fixed-seed generator writes', () => {
    const generated = run([path.join(exampleDir, 'data', 'generate_abalone.py')]);
    expect(generated).toBe(readFileSync(path.join(exampleDir, 'data', 'abalone.csv'), 'utf8'));
    expect(generated.trim().split('\n')).toHaveLength(300);
  });

  it('imports nothing outside the standard library', () => {
    const files = walk(exampleDir).filter((file) => file.endsWith('.py'));
    const check = [
      'import ast, sys',
      'bad = []',
      'for path in sys.argv[1:]:',
      '    for node in ast.walk(ast.parse(open(path).read())):',
      '        names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else []',
      '        bad += [f"{path}: {n}" for n in names if n.split(".")[0] not in sys.stdlib_module_names and n != "inference"]',
      'print("\\n".join(bad))',
    ].join('\n');
    expect(run(['-c', check, ...files]).trim()).toBe('');
  });

  it('preprocess → train → evaluate produce a model and a finite MSE under the threshold', () => {
    // Preprocess: the spec's input file lands in its destination, then the spec's arguments.
    const preprocess = step('PreprocessAbaloneData');
    const input = preprocess.inputs?.[0];
    expect(input?.source).toBe('abalone-local/data/abalone.csv');
    mkdirSync(host(input!.destination), { recursive: true });
    cpSync(path.join(specsDir, String(input!.source)), path.join(host(input!.destination), 'abalone.csv'));
    run([path.join(specsDir, preprocess.code!), ...processingArgs('PreprocessAbaloneData')]);
    for (const split of ['train', 'validation', 'test']) {
      expect(existsSync(host(`/opt/ml/processing/${split}/${split}.csv`))).toBe(true);
    }

    // Train: channels and model dir as SM_* variables, hyperparameters as `--key value`, as the
    // training toolkit passes them (parameters at their defaults).
    const train = step('TrainAbaloneModel');
    const estimator = train.estimator!;
    const hyperparameters = Object.entries(estimator.hyperparameters).flatMap(([key, value]) => {
      const get = (value as { get?: string } | null)?.get;
      const resolved = get?.startsWith('Parameters.') ? spec.parameters[get.slice('Parameters.'.length)]?.default : value;
      return [`--${key}`, String(resolved)];
    });
    const code = host('/opt/ml/code');
    cpSync(path.join(specsDir, estimator.sourceDir), code, { recursive: true });
    for (const channel of ['train', 'validation']) {
      cpSync(host(`/opt/ml/processing/${channel}`), host(`/opt/ml/input/data/${channel}`), { recursive: true });
    }
    mkdirSync(host('/opt/ml/model'), { recursive: true });
    const log = run([path.join(code, estimator.entryPoint), ...hyperparameters], {
      SM_MODEL_DIR: host('/opt/ml/model'),
      SM_CHANNEL_TRAIN: host('/opt/ml/input/data/train'),
      SM_CHANNEL_VALIDATION: host('/opt/ml/input/data/validation'),
      SM_HPS: JSON.stringify(Object.fromEntries(Object.keys(estimator.hyperparameters).map((k, i) => [k, hyperparameters[2 * i + 1]]))),
    });
    expect(log).toMatch(/validation:mse=[0-9.]+/);
    for (const file of ['model.json', 'inference.py', 'code/inference.py']) {
      expect(existsSync(host(`/opt/ml/model/${file}`))).toBe(true);
    }

    // Evaluate: model.tar.gz in the model input, as the training step's artifacts arrive.
    const modelInput = host('/opt/ml/processing/model');
    mkdirSync(modelInput, { recursive: true });
    run([
      '-c',
      'import sys, tarfile\nwith tarfile.open(sys.argv[1], "w:gz") as t: t.add(sys.argv[2], arcname=".")',
      path.join(modelInput, 'model.tar.gz'),
      host('/opt/ml/model'),
    ]);
    run([path.join(specsDir, step('EvaluateAbaloneModel').code!), ...processingArgs('EvaluateAbaloneModel')]);
    const report = JSON.parse(readFileSync(host('/opt/ml/processing/evaluation/evaluation.json'), 'utf8')) as {
      regression_metrics: { mse: { value: number; standard_deviation: number } };
    };
    const mse = report.regression_metrics.mse;
    expect(Number.isFinite(mse.value)).toBe(true);
    expect(Number.isFinite(mse.standard_deviation)).toBe(true);
    // The condition step would take the register branch.
    expect(mse.value).toBeLessThanOrEqual(Number(spec.parameters['MseThreshold']?.default));

    // Serve: the handlers in the model answer the release smoke test's payload.
    const serve = [
      'import sys',
      'sys.path.insert(0, sys.argv[1])',
      'import inference',
      'model = inference.model_fn(sys.argv[1])',
      'body, content_type = inference.output_fn(inference.predict_fn(inference.input_fn(open(sys.argv[2]).read(), "text/csv"), model), "text/csv")',
      'print(content_type)',
      'print(body, end="")',
    ].join('\n');
    const [contentType, ...predictions] = run(['-c', serve, host('/opt/ml/model'), path.join(exampleDir, 'data', 'smoke-test.csv')])
      .trim()
      .split('\n');
    expect(contentType).toBe('text/csv');
    expect(predictions).toHaveLength(2);
    for (const p of predictions) expect(Number.isFinite(Number(p))).toBe(true);

    // And through the local backend's inference harness, which serves endpoints and transforms.
    run([
      path.join(root, 'src/local/engine/inference_harness.py'),
      'invoke',
      '--model-dir', host('/opt/ml/model'),
      '--code-dir', host('/opt/ml/model/code'),
      '--program', 'inference.py',
      '--body-file', path.join(exampleDir, 'data', 'smoke-test.csv'),
      '--content-type', 'text/csv',
      '--accept', 'text/csv',
      '--response-file', path.join(sandbox, 'response'),
    ]);
    expect(readFileSync(path.join(sandbox, 'response'), 'utf8').trim().split('\n')).toEqual(predictions);
  });
});

describe('abalone-local on the local engine', () => {
  const executionArn = (id: string) => `arn:aws:sagemaker:us-east-1:000000000000:pipeline/abalone-local/execution/${id}`;

  /** Compiles the spec, stages its assets as `smpk run` does, and runs it on the engine. */
  async function execute(id: string, parameters: { Name: string; Value: string }[] = []) {
    const compilation = compileSpecFile({
      fs: { ...nodeSpecFileSystem, cwd: () => root },
      root,
      files: nodeSourceFiles(root),
      file: 'pipeline-specs/abalone-local.yaml',
      options: { region: 'us-east-1' },
    });
    expect(compilation.diagnostics).toEqual([]);
    const { definition, assets } = compilation.result!;
    const ports = createFakePorts();
    cleanups.push(ports.cleanup);
    for (const asset of assets) await ports.objects.put(asset.bucket, asset.key, asset.body);
    const outcome = await startExecution(
      {
        definition: definition!,
        parameters,
        pipelineName: 'abalone-local',
        pipelineArn: 'arn:aws:sagemaker:us-east-1:000000000000:pipeline/abalone-local',
        executionArn: executionArn(id),
      },
      ports,
    ).done;
    return { outcome, ports, steps: ports.records.steps(executionArn(id)) };
  }
  const cleanups: (() => void)[] = [];
  afterAll(() => {
    for (const cleanup of cleanups) cleanup();
  });

  it('runs the compiled definition to the register branch', async () => {
    const { outcome, ports, steps } = await execute('examples1');
    expect(outcome).toEqual({ status: 'Succeeded' });
    expect([...steps.keys()].sort()).toEqual([
      'CheckMSEAbaloneEvaluation',
      'EvaluateAbaloneModel',
      'PreprocessAbaloneData',
      'RegisterAbaloneModel-RegisterModel',
      'TrainAbaloneModel',
    ]);
    for (const step of steps.values()) expect(step.StepStatus).toBe('Succeeded');
    expect(steps.get('CheckMSEAbaloneEvaluation')!.Metadata).toEqual({ Condition: { Outcome: 'True' } });

    const evaluationKey = [...ports.objects.data.keys()].find((k) => k.endsWith('/EvaluateAbaloneModel/output/evaluation/evaluation.json'));
    expect(evaluationKey).toBeDefined();
    const report = JSON.parse(ports.objects.text(evaluationKey!)!) as { regression_metrics: { mse: { value: number } } };
    expect(Number.isFinite(report.regression_metrics.mse.value)).toBe(true);
  });

  it('takes the fail branch when the MSE threshold is out of reach', async () => {
    const { outcome, steps } = await execute('examples2', [{ Name: 'MseThreshold', Value: '0.01' }]);
    expect(outcome.status).toBe('Failed');
    expect(outcome.failureReason).toContain('the test MSE is above the threshold 0.01');
    expect(steps.get('CheckMSEAbaloneEvaluation')!.Metadata).toEqual({ Condition: { Outcome: 'False' } });
    expect(steps.get('AbaloneMSEFail')!.StepStatus).toBe('Failed');
    expect(steps.has('RegisterAbaloneModel-RegisterModel')).toBe(false);
  });
});
