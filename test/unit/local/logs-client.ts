/**
 * A minimal CloudWatch Logs JSON 1.1 caller for tests (the kit has no @aws-sdk/client-cloudwatch-logs
 * dependency): the same wire format the SDK sends, errors thrown with their `__type` as name.
 */
export class CloudWatchLogsLikeClient {
  constructor(private readonly endpoint: string) {}

  /** POSTs `Logs_20140328.<operation>` and returns the parsed result. */
  async call(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const response = await fetch(`${this.endpoint}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `Logs_20140328.${operation}`,
        authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: JSON.stringify(input),
    });
    const body = (await response.json()) as Record<string, unknown>;
    if (!response.ok) {
      const error = new Error(`${String(body['__type'])}: ${String(body['message'])}`);
      error.name = String(body['__type']);
      throw error;
    }
    return body;
  }
}
