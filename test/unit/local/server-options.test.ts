import { describe, expect, it } from 'vitest';
import { localBackendOptionsFromEnv, startLocalBackend } from '../../../src/local/index.js';
import { tempDir } from './helpers.js';

describe('startLocalBackend options', () => {
  it('refuses to bind anything but loopback', async () => {
    const t = tempDir();
    await expect(startLocalBackend({ stateDir: t.dir, host: '0.0.0.0', runner: null })).rejects.toThrow(/only listens on loopback/);
    t.remove();
  });

  it('listens on an ephemeral loopback port and closes cleanly', async () => {
    const t = tempDir();
    const backend = await startLocalBackend({ stateDir: t.dir, runner: null });
    expect(backend.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${backend.endpoint}/`, { method: 'POST', headers: { 'x-amz-target': 'SageMaker.NoSuchOperation', 'content-type': 'application/x-amz-json-1.1' }, body: '{}' });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    await backend.close();
    await expect(fetch(`${backend.endpoint}/`)).rejects.toThrow();
    t.remove();
  });

  it('says so when started without inference', async () => {
    const t = tempDir();
    const backend = await startLocalBackend({ stateDir: t.dir, runner: null, inference: null, endpointTransitionMs: 0 });
    const call = (target: string, body: unknown) =>
      fetch(`${backend.endpoint}/`, { method: 'POST', headers: { 'x-amz-target': `SageMaker.${target}`, 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(body) });
    await call('CreateModel', { ModelName: 'm', PrimaryContainer: { Image: 'img' } });
    await call('CreateEndpointConfig', { EndpointConfigName: 'c', ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'm' }] });
    await call('CreateEndpoint', { EndpointName: 'e', EndpointConfigName: 'c' });
    const response = await fetch(`${backend.endpoint}/endpoints/e/invocations`, { method: 'POST', body: '1' });
    expect(response.status).toBe(424);
    expect(response.headers.get('x-amzn-errortype')).toBe('ModelError');
    expect(((await response.json()) as { message: string }).message).toContain('no local inference harness is wired');
    await backend.close();
    t.remove();
  });

  it('reads faults from SMPK_LOCAL_FAULTS', () => {
    expect(localBackendOptionsFromEnv({ SMPK_LOCAL_FAULTS: 'throttle=0.5,seed=3' })).toEqual({ faults: { seed: 3, throttleRate: 0.5 } });
    expect(localBackendOptionsFromEnv({})).toEqual({});
  });
});
