/** Thin typed call to the SageMaker runtime: one InvokeEndpoint. */
import { InvokeEndpointCommand, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';

/** The subset of SageMakerRuntimeClient the ops call. */
export type RuntimePort = Pick<SageMakerRuntimeClient, 'send'>;

/** InvokeEndpoint; returns the response body as text and its content type. */
export async function invokeEndpoint(
  client: RuntimePort,
  input: { endpointName: string; body: Uint8Array; contentType: string; accept?: string },
): Promise<{ body: string; contentType?: string; invokedVariant?: string }> {
  const out = await client.send(
    new InvokeEndpointCommand({
      EndpointName: input.endpointName,
      Body: input.body,
      ContentType: input.contentType,
      ...(input.accept ? { Accept: input.accept } : {}),
    }),
  );
  const body = out.Body ? new TextDecoder().decode(out.Body) : '';
  return { body, ...(out.ContentType ? { contentType: out.ContentType } : {}), ...(out.InvokedProductionVariant ? { invokedVariant: out.InvokedProductionVariant } : {}) };
}
