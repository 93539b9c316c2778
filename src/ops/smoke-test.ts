/** The smoke test: one InvokeEndpoint with the spec's payload, optionally checking the answer's text. */
import { describeAwsError, errorName, isRetryable } from '../aws/errors.js';
import { invokeEndpoint, type RuntimePort } from '../aws/runtime.js';
import type { Clock } from './clock.js';
import type { SmokeTestSettings } from './release-settings.js';

export interface SmokeResult {
  ok: boolean;
  /** One sentence: what was sent and what came back (or why it failed). */
  message: string;
  /** The start of the response (untrusted: escape before rendering). */
  responseExcerpt?: string;
  invokedVariant?: string;
}

const EXCERPT = 300;

/**
 * Invokes the endpoint once; a throttled or transient failure is retried twice (the endpoint has
 * only just come up). A ModelError or an answer without `expectContains` fails.
 */
export async function smokeTest(endpointName: string, test: SmokeTestSettings, deps: { runtime: RuntimePort; clock: Clock }): Promise<SmokeResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      const out = await invokeEndpoint(deps.runtime, {
        endpointName,
        body: test.payload,
        contentType: test.contentType,
        ...(test.accept ? { accept: test.accept } : {}),
      });
      const excerpt = out.body.slice(0, EXCERPT);
      const variant = out.invokedVariant ? { invokedVariant: out.invokedVariant } : {};
      if (test.expectContains !== undefined && !out.body.includes(test.expectContains)) {
        return { ok: false, message: `the response (${out.body.length} characters) does not contain ${JSON.stringify(test.expectContains)}`, responseExcerpt: excerpt, ...variant };
      }
      return {
        ok: true,
        message: `${test.source} (${test.payload.length} bytes, ${test.contentType}) answered with ${out.body.length} characters${test.expectContains !== undefined ? ` containing ${JSON.stringify(test.expectContains)}` : ''}`,
        responseExcerpt: excerpt,
        ...variant,
      };
    } catch (error) {
      if (isRetryable(error) && attempt < 3) {
        await deps.clock.sleep(5_000 * attempt);
        continue;
      }
      const name = errorName(error);
      return { ok: false, message: name === 'ModelError' ? `the model failed on the payload: ${describeAwsError(error, 'InvokeEndpoint')}` : describeAwsError(error, 'InvokeEndpoint') };
    }
  }
}
