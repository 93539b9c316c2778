// One benchmark measurement in a fresh process: load + compile a spec `runs` times, print JSON
// with the median and minimum in-process time and the process's peak RSS.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { compile } from '../src/compiler/index.js';
import { nodeSourceFiles } from '../src/platform/source-files.js';
import { loadSpec } from '../src/spec/load.js';
import { syntheticSpec } from './synthetic.js';

const [target = '', runsArg = '20'] = process.argv.slice(2);
const runs = Number(runsArg);
const root = process.cwd();
const files = nodeSourceFiles(root);
const synthetic = /^synthetic:(\d+)$/.exec(target);
const specPath = synthetic ? `bench/synthetic-${synthetic[1]}.yaml` : target;
const text = synthetic ? syntheticSpec(Number(synthetic[1])) : readFileSync(path.join(root, target), 'utf8');

function once(): number {
  const t0 = performance.now();
  const loaded = loadSpec(text, specPath, { files, specPath });
  if (!loaded.spec) throw new Error(`${specPath} did not load: ${JSON.stringify(loaded.diagnostics[0])}`);
  // Most examples leave the role and bucket to the environment, as real repositories do.
  const options = { region: 'us-east-1', roleArn: 'arn:aws:iam::111122223333:role/bench', bucket: 'bench-bucket' };
  const result = compile({ spec: loaded.spec, sourceMap: loaded.sourceMap, specPath, files }, options);
  if (!result.definitionJson) throw new Error(`${specPath} did not compile: ${JSON.stringify(result.diagnostics[0])}`);
  return performance.now() - t0;
}

once(); // warm-up: module initialisation and JIT are not what a repeated compile costs
const times = Array.from({ length: runs }, once).sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)] ?? NaN;
process.stdout.write(
  `${JSON.stringify({ target, runs, medianMs: median, minMs: times[0], maxRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`,
);
