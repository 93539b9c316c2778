/**
 * The local backend service: one HTTP server on the loopback interface that speaks SageMaker
 * (AWS JSON 1.1), CloudWatch Logs (JSON 1.1), sagemaker-runtime InvokeEndpoint and the S3
 * REST subset, over durable state under `stateDir`. The kit reaches it only through the SDKs'
 * standard endpoint override (AWS_ENDPOINT_URL), so it runs the code path used against AWS.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { systemClock, type Clock } from './clock.js';
import { startExecution } from './engine/engine.js';
import { createModelServer } from './engine/model-server.js';
import { createNodeSpawner } from './engine/node-spawn.js';
import { createEngineInference } from './inference.js';
import { createEnginePorts } from './engine-host.js';
import { createExecutions, type ExecutionRunner } from './executions.js';
import { createFaultInjector, type FaultConfig, type FaultDecision } from './faults.js';
import type { LocalRequest, LocalResponse } from './http-types.js';
import { header } from './http-types.js';
import { jsonError, jsonResult } from './json-protocol.js';
import { openLogStore } from './log-store.js';
import { handleLogs } from './logs-service.js';
import { openObjectStore } from './object-store.js';
import { openRecordStore } from './record-store.js';
import { requestRegion } from './request-region.js';
import { handleInvocation, invocationTarget, type InferenceHarness } from './runtime-service.js';
import { createCaptureObserver } from './data-capture.js';
import { handleS3, s3ErrorResponse } from './s3-protocol.js';
import type { SageMakerContext } from './sagemaker/context.js';
import { endpointForInvocation } from './sagemaker/endpoints.js';
import { validateInput } from './sagemaker/input-constraints.js';
import { sagemakerOperations } from './sagemaker/operations.js';
import { ServiceError } from './service-error.js';

export interface LocalBackendOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Only loopback addresses are accepted: the backend has no authentication. */
  host?: string;
  /** Where all state lives; a backend restarted on the same directory continues from it. */
  stateDir: string;
  faults?: FaultConfig;
  clock?: Clock;
  /** One line per request and per notable event; silent when absent. */
  logger?: (line: string) => void;
  /**
   * Runs pipeline executions. Undefined: the built-in engine (src/local/engine). null: none
   * (executions stay Executing until stopped; for API-only tests).
   */
  runner?: ExecutionRunner | null;
  /**
   * Serves InvokeEndpoint. Undefined: the engine's model server (the model's entry script, run
   * as for Transform steps). null: none — invocations answer a ModelError saying so.
   */
  inference?: InferenceHarness | null;
  /** How long endpoint Creating/Updating and schedule Pending last (default 1000 ms). */
  endpointTransitionMs?: number;
  /** Source of execution ids (12 lowercase alphanumerics by default). */
  newId?: () => string;
  /** Python for script steps (engine default: python3). */
  python?: string;
  /**
   * Environment every job inherits; the engine passes nothing else from the host. Default: the
   * host's PATH, HOME, LANG, LC_ALL and TMPDIR, which scripts need to find python and write temp
   * files, and nothing that could carry credentials.
   */
  baseEnv?: Record<string, string>;
}

export interface LocalBackend {
  /** `http://127.0.0.1:<port>`, for AWS_ENDPOINT_URL or an SDK client's `endpoint`. */
  endpoint: string;
  port: number;
  /** Stops running executions (bounded wait), then closes the server and every connection. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Twelve lowercase alphanumerics, the shape of SageMaker execution ids. */
function randomId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(12)].map((b) => alphabet[b % alphabet.length]).join('');
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** The few host variables a job needs by default (see LocalBackendOptions.baseEnv). */
function hostBaseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TMPDIR']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

type Protocol = 'sagemaker' | 'logs' | 'runtime' | 's3' | 'json-unknown';

function protocolOf(request: LocalRequest): Protocol {
  const target = header(request, 'x-amz-target');
  if (target !== undefined) {
    if (target.startsWith('SageMaker.')) return 'sagemaker';
    if (target.startsWith('Logs_20140328.')) return 'logs';
    return 'json-unknown';
  }
  if (request.method === 'POST' && invocationTarget(request.url.pathname) !== undefined) return 'runtime';
  return 's3';
}

/** The answer a fault gives instead of handling the request, per protocol. */
function faultResponse(fault: FaultDecision, protocol: Protocol, method: string): LocalResponse | undefined {
  if (fault.kind === 'throttle') {
    return protocol === 's3' ? s3ErrorResponse('SlowDown', 503, 'Please reduce your request rate.', method) : jsonError('ThrottlingException', 'Rate exceeded', 400);
  }
  if (fault.kind === 'server-error') {
    if (protocol === 's3') {
      return fault.status === 500
        ? s3ErrorResponse('InternalError', 500, 'We encountered an internal error. Please try again.', method)
        : s3ErrorResponse('ServiceUnavailable', 503, 'Service is unable to handle request.', method);
    }
    return fault.status === 500 ? jsonError('InternalFailure', 'An internal failure occurred (injected).', 500) : jsonError('ServiceUnavailable', 'The service is unavailable (injected).', 503);
  }
  return undefined;
}

/** Starts the local backend; resolves once it listens. */
export async function startLocalBackend(options: LocalBackendOptions): Promise<LocalBackend> {
  const host = options.host ?? '127.0.0.1';
  // No authentication is checked: binding anywhere but loopback would expose state and code execution.
  if (!LOOPBACK.has(host)) throw new Error(`The local backend only listens on loopback (127.0.0.1, ::1, localhost), not ${host}.`);
  const clock = options.clock ?? systemClock;
  const log = options.logger ?? (() => undefined);
  const records = openRecordStore(join(options.stateDir, 'records'));
  const objects = openObjectStore(join(options.stateDir, 's3'), clock);
  const logs = openLogStore(join(options.stateDir, 'logs'), () => clock.now());
  const ports = createEnginePorts({
    records,
    objects,
    logs,
    clock,
    spawn: createNodeSpawner(),
    workDir: join(options.stateDir, 'work'),
    ...(options.python === undefined ? {} : { python: options.python }),
    baseEnv: options.baseEnv ?? hostBaseEnv(),
  });
  const runner = options.runner === null ? undefined : (options.runner ?? startExecution);
  const executions = createExecutions(records, clock, ports, runner);
  const inference =
    options.inference === null
      ? undefined
      : (options.inference ??
        createEngineInference(
          records,
          createModelServer({
            objects: ports.objects,
            records: ports.records,
            spawn: ports.spawn,
            clock: ports.clock,
            logs: ports.logs,
            workDir: ports.workDir,
            ...(ports.python === undefined ? {} : { python: ports.python }),
            ...(ports.baseEnv === undefined ? {} : { baseEnv: ports.baseEnv }),
          }),
        ));
  executions.recover();
  const newId = options.newId ?? randomId;
  const capture = createCaptureObserver(records, objects, clock);
  const nextFault = createFaultInjector(options.faults);
  const contextFor = (region: string): SageMakerContext => ({
    records,
    objects,
    clock,
    region,
    executions,
    newId,
    endpointTransitionMs: options.endpointTransitionMs ?? 1000,
  });

  const handle = async (request: LocalRequest, protocol: Protocol): Promise<LocalResponse> => {
    const target = header(request, 'x-amz-target') ?? '';
    const operation = target.slice(target.indexOf('.') + 1);
    try {
      switch (protocol) {
        case 'sagemaker': {
          const implementation = sagemakerOperations[operation];
          if (implementation === undefined) {
            return jsonError('UnknownOperationException', `The local backend does not implement SageMaker ${operation}.`, 400);
          }
          const input = parseJson(request.body);
          validateInput(operation, input);
          return jsonResult(await implementation(input, contextFor(request.region)));
        }
        case 'logs':
          return jsonResult(handleLogs(logs, operation, parseJson(request.body)));
        case 'runtime': {
          const name = invocationTarget(request.url.pathname) ?? '';
          return await handleInvocation(request, name, (n) => endpointForInvocation(contextFor(request.region), n), inference, capture);
        }
        case 's3':
          return handleS3(request, { objects, records, now: () => clock.now() });
        default:
          return jsonError('UnknownOperationException', `Unknown target ${target}`, 400);
      }
    } catch (error) {
      if (error instanceof ServiceError) {
        return protocol === 'runtime' ? jsonError(error.type, error.message, error.status, 'application/json') : jsonError(error.type, error.message, error.status);
      }
      log(`smpk local: internal error on ${request.method} ${request.url.pathname} ${target}: ${(error as Error).stack ?? String(error)}`);
      const message = `Internal failure in the local backend: ${(error as Error).message}`;
      return protocol === 's3' ? s3ErrorResponse('InternalError', 500, message, request.method) : jsonError('InternalFailure', message, 500);
    }
  };

  const onRequest = async (incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> => {
    const body = await readBody(incoming);
    const request: LocalRequest = {
      method: incoming.method ?? 'GET',
      // Prefixing (not resolving against a base) keeps a path like //key from parsing as a host.
      url: new URL(`http://local${incoming.url ?? '/'}`),
      headers: incoming.headers,
      body,
      region: requestRegion(incoming.headers.authorization),
    };
    const protocol = protocolOf(request);
    // Faults are decided before handling, so a faulted request never takes effect and an SDK
    // retry of it cannot apply twice.
    const fault = nextFault(header(request, 'amz-sdk-invocation-id'));
    if (fault.kind === 'reset') {
      log(`smpk local: fault reset ${request.method} ${request.url.pathname}`);
      incoming.socket.destroy();
      return;
    }
    if (fault.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    const response = faultResponse(fault, protocol, request.method) ?? (await handle(request, protocol));
    log(`smpk local: ${request.method} ${request.url.pathname} ${header(request, 'x-amz-target') ?? ''} → ${response.status}${fault.kind === 'none' ? '' : ` (fault ${fault.kind})`}`);
    outgoing.writeHead(response.status, response.headers);
    outgoing.end(response.body);
  };

  const server = createServer((incoming, outgoing) => {
    onRequest(incoming, outgoing).catch((error: unknown) => {
      log(`smpk local: request failed: ${String(error)}`);
      if (!outgoing.headersSent) outgoing.writeHead(500).end();
      else outgoing.destroy();
    });
  });
  // Large uploads and slow faults must not be cut by Node's default request timeout.
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://${host === '::1' ? '[::1]' : host}:${port}`;
  log(`smpk local: listening on ${endpoint}, state in ${options.stateDir}`);
  return {
    endpoint,
    port,
    async close() {
      await executions.stopAll(5000);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function parseJson(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ServiceError('SerializationException', 'The request body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ServiceError('SerializationException', 'The request body must be a JSON object.');
  return parsed as Record<string, unknown>;
}
