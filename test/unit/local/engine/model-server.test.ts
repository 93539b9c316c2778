import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createModelServer } from '../../../../src/local/engine/model-server.js';
import { packTarGz } from '../../../../src/local/engine/tar.js';
import { createFakePorts } from './fakes.js';
import { BUCKET } from './pipeline-fixture.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

// A repacked model: model files at the root, the entry script under code/.
const INFERENCE = `
import json, os
def model_fn(model_dir):
    return json.load(open(os.path.join(model_dir, 'model.json')))
def predict_fn(rows, model):
    if rows == [['boom']]:
        raise ValueError('cannot score boom')
    return [sum(row) + model['offset'] for row in rows]
`;

async function setup() {
  const ports = createFakePorts();
  cleanups.push(ports.cleanup);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smpk-model-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, 'code'));
  writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ offset: 100 }));
  writeFileSync(path.join(dir, 'code', 'inference.py'), INFERENCE);
  await ports.objects.put(BUCKET, 'models/model.tar.gz', await packTarGz(dir));
  const model = {
    ModelName: 'm1',
    PrimaryContainer: { Image: 'sklearn', ModelDataUrl: `s3://${BUCKET}/models/model.tar.gz`, Environment: { SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: '/opt/ml/model/code' } },
  };
  return { ports, server: createModelServer(ports), model };
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('local model server (InvokeEndpoint)', () => {
  it('answers requests with the model’s entry script', async () => {
    const { ports, server, model } = await setup();
    const csv = await server.invoke({ endpointName: 'ep', model, body: new TextEncoder().encode('1,2\n3,4'), contentType: 'text/csv', accept: 'text/csv' });
    expect(csv.statusCode).toBeUndefined();
    expect(text(csv.body)).toBe('103\n107');
    expect(csv.contentType).toBe('text/csv');
    const json = await server.invoke({ endpointName: 'ep', model, body: new TextEncoder().encode('[[5, 5]]'), contentType: 'application/json', accept: 'application/json' });
    expect(JSON.parse(text(json.body))).toEqual([110]);
    const failed = await server.invoke({ endpointName: 'ep', model, body: new TextEncoder().encode('boom'), contentType: 'text/csv', accept: 'text/csv' });
    expect(failed.statusCode).toBe(500);
    expect(text(failed.body)).toContain('ValueError: cannot score boom');
    expect(ports.logs.events.some((e) => e.group === '/aws/sagemaker/Endpoints/ep' && e.message.includes('cannot score boom'))).toBe(true);
  });

  it('refuses a model without an entry script', async () => {
    const { server } = await setup();
    const result = await server.invoke({ endpointName: 'ep', model: { ModelName: 'xgb', PrimaryContainer: { Image: 'xgboost:1', Environment: {} } }, body: new Uint8Array(), contentType: 'text/csv' });
    expect(result.statusCode).toBe(501);
    expect(text(result.body)).toContain("Model 'xgb' (image 'xgboost:1') names no SAGEMAKER_PROGRAM entry script");
  });
});
