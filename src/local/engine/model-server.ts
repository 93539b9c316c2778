/**
 * Local inference for endpoints (InvokeEndpoint): the model's entry script run by
 * inference_harness.py in `invoke` mode, one process per request, over a model directory
 * prepared once per model (model.tar.gz unpacked, SAGEMAKER_SUBMIT_DIRECTORY code in code/).
 * The local inference contract is the one Transform steps use (see inference_harness.py).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { enginePath } from './assets.js';
import { obj } from './json.js';
import type { ClockPort, JsonObject, LogPort, ObjectStorePort, RecordPort, SpawnPort } from './ports.js';
import { runJobProcess } from './run-process.js';
import { servingContainer } from './serving-container.js';
import { parseS3Uri } from './s3-uri.js';
import { unpackTarGz } from './tar.js';

/** What the model server needs from its host (a subset of EnginePorts). */
export interface ModelServerPorts {
  objects: ObjectStorePort;
  spawn: SpawnPort;
  clock: ClockPort;
  logs: LogPort;
  /** Directory for unpacked models (`<workDir>/models/...`). */
  workDir: string;
  python?: string;
  baseEnv?: Record<string, string>;
  /** Looks up model packages for models created from one (`Containers[].ModelPackageName`); optional. */
  records?: RecordPort;
}

/** One InvokeEndpoint request, with the DescribeModel body of the model behind the endpoint's variant. */
export interface LocalInvocation {
  endpointName: string;
  model: JsonObject;
  body: Uint8Array;
  contentType?: string;
  accept?: string;
}

/** The model's answer; `statusCode` set when the model (or its absence) failed the request. */
export interface LocalInvocationResult {
  body: Uint8Array;
  contentType: string;
  statusCode?: number;
}

/** A model server over the given ports. */
export interface ModelServer {
  /** Runs one request through the model's entry script; never rejects for model errors. */
  invoke(request: LocalInvocation): Promise<LocalInvocationResult>;
}

/** Creates the local model server used by InvokeEndpoint. */
export function createModelServer(ports: ModelServerPorts): ModelServer {
  const prepared = new Map<string, Promise<string>>();
  const python = ports.python ?? 'python3';

  const prepare = (model: JsonObject, container: JsonObject): Promise<string> => {
    const key = createHash('sha256')
      .update(JSON.stringify([model['ModelName'], container['ModelDataUrl'], obj(container['Environment'])['SAGEMAKER_SUBMIT_DIRECTORY']]))
      .digest('hex')
      .slice(0, 16);
    let ready = prepared.get(key);
    if (ready === undefined) {
      ready = (async () => {
        const dir = path.join(path.resolve(ports.workDir), 'models', key);
        const modelDir = path.join(dir, 'model');
        await rm(dir, { recursive: true, force: true });
        if (typeof container['ModelDataUrl'] === 'string') await unpackTarGz(await fetchObject(ports.objects, container['ModelDataUrl']), modelDir);
        const submit = obj(container['Environment'])['SAGEMAKER_SUBMIT_DIRECTORY'];
        if (typeof submit === 'string' && submit.startsWith('s3://')) await unpackTarGz(await fetchObject(ports.objects, submit), path.join(modelDir, 'code'));
        await mkdir(path.join(modelDir, 'code'), { recursive: true });
        return modelDir;
      })();
      // A failed preparation is retried by the next request rather than cached.
      ready.catch(() => prepared.delete(key));
      prepared.set(key, ready);
    }
    return ready;
  };

  return {
    async invoke(request) {
      const serving = await servingContainer(request.model, ports.records);
      if ('problem' in serving) return failure(404, `The local backend cannot serve this model: ${serving.problem}.`);
      const { container } = serving;
      const env = obj(container['Environment']);
      const program = typeof env['SAGEMAKER_PROGRAM'] === 'string' ? env['SAGEMAKER_PROGRAM'] : '';
      if (program === '') {
        return failure(501, `Model '${String(request.model['ModelName'])}' (image '${String(container['Image'] ?? '')}') names no SAGEMAKER_PROGRAM entry script, so its inference code is inside the image; the local backend cannot serve it.`);
      }
      let modelDir: string;
      try {
        modelDir = await prepare(request.model, container);
      } catch (error) {
        return failure(500, `Could not prepare model '${String(request.model['ModelName'])}': ${error instanceof Error ? error.message : String(error)}`);
      }
      const scratch = path.join(path.dirname(modelDir), 'requests', `${Date.now()}-${Math.random().toString(16).slice(2)}`);
      await mkdir(scratch, { recursive: true });
      try {
        const bodyFile = path.join(scratch, 'body');
        const responseFile = path.join(scratch, 'response');
        await writeFile(bodyFile, request.body);
        const codeDir = path.join(modelDir, 'code');
        const stringEnv = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
        const result = await runJobProcess({
          command: python,
          args: [
            enginePath('inference_harness.py'), 'invoke',
            '--model-dir', modelDir,
            '--code-dir', codeDir,
            '--program', program,
            '--content-type', request.contentType ?? '',
            '--accept', request.accept ?? '',
            '--body-file', bodyFile,
            '--response-file', responseFile,
          ],
          cwd: codeDir,
          env: { ...(ports.baseEnv ?? {}), ...stringEnv, PYTHONUNBUFFERED: '1', SM_MODEL_DIR: modelDir, SMPK_OPT_ML: path.dirname(modelDir), PYTHONPATH: [enginePath('pyshim'), codeDir].join(':') },
          spawn: ports.spawn,
          clock: ports.clock,
          logs: ports.logs,
          logGroup: `/aws/sagemaker/Endpoints/${request.endpointName}`,
          logStream: 'AllTraffic/local',
          signal: new AbortController().signal,
        });
        if (result.code !== 0 || !existsSync(responseFile)) {
          const tail = result.tail.filter((l) => l.trim() !== '').slice(-5).join('\n');
          return failure(500, `The model's entry script ${program} failed (exit ${String(result.code ?? result.signal)}):\n${tail}`);
        }
        return { body: await readFile(responseFile), contentType: request.accept && request.accept !== '*/*' ? request.accept : 'application/json' };
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    },
  };
}

function failure(statusCode: number, message: string): LocalInvocationResult {
  return { statusCode, contentType: 'text/plain', body: new TextEncoder().encode(message) };
}

async function fetchObject(objects: ObjectStorePort, uri: string): Promise<Uint8Array> {
  const { bucket, key } = parseS3Uri(uri);
  const body = await objects.get(bucket, key);
  if (body === undefined) throw new Error(`${uri} does not exist`);
  return body;
}
