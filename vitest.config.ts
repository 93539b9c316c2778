import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests must never reach AWS: any SDK client that is not mocked or pointed at the local
    // backend fails fast on these bogus credentials and the unroutable endpoint.
    env: {
      AWS_ACCESS_KEY_ID: 'test-access-key-never-valid',
      AWS_SECRET_ACCESS_KEY: 'test-secret-never-valid',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    testTimeout: 20_000,
    pool: 'forks',
  },
});
