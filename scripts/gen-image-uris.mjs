#!/usr/bin/env node
// Generates src/compiler/image-uris.generated.json from the SageMaker Python SDK's image_uri_config.
//
//   node scripts/gen-image-uris.mjs [<sdk>/src/sagemaker/image_uri_config] [--out <file>]
//
// The SDK's JSON files are kept in their own shape (scopes → version_aliases/processors/versions →
// py_versions/repository/container_version/…), so src/compiler/images.ts can follow
// `image_uris.retrieve` step by step; the only transformation is that each per-version region map
// (`registries`, the bulk of the bytes) is stored once in a top-level list and referenced by index.
// The few tables `retrieve` keeps in Python rather than JSON (graviton families, arm64 tags, p4d
// container versions) are read from the sibling image_uris.py / fw_utils.py, never retyped here.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const SDK_VERSION = 'v2.257.6';

/** Frameworks the kit resolves: script-mode frameworks, the non-framework images and built-in algorithms. */
const FRAMEWORKS = [
  // script mode (training and inference)
  'pytorch', 'tensorflow', 'mxnet', 'sklearn', 'xgboost', 'huggingface',
  // what `retrieve` switches pytorch / huggingface to on inf* and trn* instances
  'pytorch-neuron', 'huggingface-neuron',
  // processing and monitoring images
  'spark', 'model-monitor', 'clarify',
  // built-in algorithms (one version "1", shared by training and inference)
  'blazingtext', 'factorization-machines', 'forecasting-deepar', 'image-classification', 'ipinsights',
  'kmeans', 'knn', 'lda', 'linear-learner', 'ntm', 'object-detection', 'object2vec', 'pca',
  'randomcutforest', 'semantic-segmentation', 'seq2seq',
];

/** Elastic Inference (`eia`) is retired by AWS and the kit has no accelerator setting, so it is left out. */
const DROPPED_SCOPES = new Set(['eia']);

/**
 * ECR hostnames come from botocore's endpoint resolver in the SDK (`ecr.{region}.{dnsSuffix}`);
 * these are the partitions of botocore 1.43's data/endpoints.json, in its order.
 */
const PARTITIONS = [
  { partition: 'aws', regionRegex: '^(us|eu|ap|sa|ca|me|af|il|mx)\\-\\w+\\-\\d+$', dnsSuffix: 'amazonaws.com' },
  { partition: 'aws-cn', regionRegex: '^cn\\-\\w+\\-\\d+$', dnsSuffix: 'amazonaws.com.cn' },
  { partition: 'aws-us-gov', regionRegex: '^us\\-gov\\-\\w+\\-\\d+$', dnsSuffix: 'amazonaws.com' },
  { partition: 'aws-iso', regionRegex: '^us\\-iso\\-\\w+\\-\\d+$', dnsSuffix: 'c2s.ic.gov' },
  { partition: 'aws-iso-b', regionRegex: '^us\\-isob\\-\\w+\\-\\d+$', dnsSuffix: 'sc2s.sgov.gov' },
  { partition: 'aws-iso-e', regionRegex: '^eu\\-isoe\\-\\w+\\-\\d+$', dnsSuffix: 'cloud.adc-e.uk' },
  { partition: 'aws-iso-f', regionRegex: '^us\\-isof\\-\\w+\\-\\d+$', dnsSuffix: 'csp.hci.ic.gov' },
  { partition: 'aws-eusc', regionRegex: '^eusc\\-(de)\\-\\w+\\-\\d+$', dnsSuffix: 'amazonaws.eu' },
];

function parseArgs(argv) {
  const here = dirname(fileURLToPath(import.meta.url));
  let dir = '/tmp/sdk/src/sagemaker/image_uri_config';
  let out = resolve(here, '../src/compiler/image-uris.generated.json');
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--out') out = resolve(argv[++i] ?? out);
    else dir = resolve(argv[i]);
  }
  return { dir, out };
}

/** A Python literal made only of strings, lists, dicts and sets of strings, as JSON. */
function pythonLiteralToJson(text) {
  const json = text
    .replace(/#[^\n]*/g, '')
    .replace(/^set\(\s*\[/, '[').replace(/\]\s*\)$/, ']')
    .replace(/,(\s*[\]}])/g, '$1');
  return JSON.parse(json);
}

/** The literal assigned to `name` in a Python source (balanced brackets from the first opener). */
function pythonAssignment(source, name) {
  const at = source.search(new RegExp(`\\b${name}\\s*=\\s*`));
  if (at < 0) throw new Error(`${name} not found in the SDK source; the generator needs updating`);
  const start = source.indexOf('=', at) + 1;
  let depth = 0;
  let begun = false;
  for (let i = start; i < source.length; i += 1) {
    const c = source[i];
    if (c === '"') { i = source.indexOf('"', i + 1); continue; }
    if ('[{('.includes(c)) { depth += 1; begun = true; }
    if (']})'.includes(c)) depth -= 1;
    if (begun && depth === 0) return pythonLiteralToJson(source.slice(start, i + 1).trim());
  }
  throw new Error(`unbalanced literal for ${name}`);
}

function main() {
  const { dir, out } = parseArgs(process.argv.slice(2));
  const registries = [];
  const registryIndex = new Map();
  const internRegistries = (map) => {
    const sorted = Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const key = JSON.stringify(sorted);
    let index = registryIndex.get(key);
    if (index === undefined) {
      index = registries.length;
      registries.push(sorted);
      registryIndex.set(key, index);
    }
    return index;
  };
  const compact = (node) => {
    if (Array.isArray(node)) return node.map(compact);
    if (node === null || typeof node !== 'object') return node;
    const result = {};
    for (const [key, value] of Object.entries(node)) {
      result[key] = key === 'registries' ? internRegistries(value) : compact(value);
    }
    return result;
  };

  const frameworks = {};
  for (const name of FRAMEWORKS) {
    const file = join(dir, `${name}.json`);
    if (!existsSync(file)) throw new Error(`${file} is missing; is ${dir} an SDK image_uri_config directory?`);
    const config = JSON.parse(readFileSync(file, 'utf8'));
    const kept = 'scope' in config
      ? config
      : Object.fromEntries(Object.entries(config).filter(([scope]) => !DROPPED_SCOPES.has(scope)));
    frameworks[name] = compact(kept);
  }

  const imageUrisPy = readFileSync(join(dir, '..', 'image_uris.py'), 'utf8');
  const fwUtilsPy = readFileSync(join(dir, '..', 'fw_utils.py'), 'utf8');
  const quirks = {
    gravitonInstanceFamilies: pythonAssignment(fwUtilsPy, 'GRAVITON_ALLOWED_TARGET_INSTANCE_FAMILY'),
    gravitonFrameworks: pythonAssignment(fwUtilsPy, 'GRAVITON_ALLOWED_FRAMEWORKS'),
    trainiumFrameworks: [pythonLiteralToJson(imageUrisPy.match(/^TRAINIUM_ALLOWED_FRAMEWORKS = ("[^"]*")/m)?.[1] ?? '""')],
    arm64Tags: pythonAssignment(imageUrisPy, 'version_to_arm64_tag_mapping'),
    p4dContainerVersions: pythonAssignment(imageUrisPy, 'container_versions'),
  };

  const table = {
    source: `SageMaker Python SDK ${SDK_VERSION} image_uri_config (plus the tables in image_uris.py and fw_utils.py); ECR partitions from botocore 1.43 endpoints.json`,
    regenerate: 'node scripts/gen-image-uris.mjs <sdk>/src/sagemaker/image_uri_config',
    partitions: PARTITIONS,
    quirks,
    frameworks,
    registries,
  };
  writeFileSync(out, `${JSON.stringify(table)}\n`);
  console.log(`wrote ${out}: ${FRAMEWORKS.length} frameworks, ${registries.length} distinct registry maps`);
}

main();
