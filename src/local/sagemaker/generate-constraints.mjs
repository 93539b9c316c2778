// Regenerates constraints.generated.json — the input constraints (required members, lengths,
// ranges, patterns, enums) of the SageMaker operations the local backend implements — from
// botocore's service model, so the backend rejects what SageMaker rejects (e.g. a
// ClientRequestToken shorter than 32 characters) instead of letting the kit find out on AWS.
//
//   node src/local/sagemaker/generate-constraints.mjs <path to botocore>/data/sagemaker/2017-07-24/service-2.json.gz
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const [source] = process.argv.slice(2);
if (!source) throw new Error('usage: generate-constraints.mjs <service-2.json.gz>');
const raw = readFileSync(source);
const model = JSON.parse((source.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8'));
const operations = JSON.parse(readFileSync(new URL('./implemented-operations.json', import.meta.url), 'utf8'));

const shapes = {};
function visit(name) {
  if (name in shapes) return;
  const shape = model.shapes[name];
  const out = { t: shape.type };
  shapes[name] = out;
  if (shape.min !== undefined) out.min = shape.min;
  if (shape.max !== undefined) out.max = shape.max;
  if (shape.pattern !== undefined) out.p = shape.pattern;
  if (shape.enum !== undefined) out.e = shape.enum;
  if (shape.type === 'structure') {
    if (shape.required?.length) out.r = shape.required;
    out.m = Object.fromEntries(Object.entries(shape.members).map(([member, ref]) => [member, ref.shape]));
    for (const ref of Object.values(shape.members)) visit(ref.shape);
  } else if (shape.type === 'list') {
    out.i = shape.member.shape;
    visit(shape.member.shape);
  } else if (shape.type === 'map') {
    out.k = shape.key.shape;
    out.v = shape.value.shape;
    visit(shape.key.shape);
    visit(shape.value.shape);
  }
  // Nothing else constrains a value: drop shapes that carry no constraint and no children.
}
const inputs = {};
for (const op of operations) {
  const input = model.operations[op]?.input?.shape;
  if (input === undefined) continue;
  inputs[op] = input;
  visit(input);
}
writeFileSync(
  new URL('./constraints.generated.json', import.meta.url),
  `${JSON.stringify({ source: `botocore ${model.metadata.apiVersion} sagemaker service model`, operations: inputs, shapes })}\n`,
);
