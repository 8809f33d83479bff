import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ConfigOverrides } from '../../src/config.js';
import { uniqueName } from './index.js';

/** The credentials s3rver accepts (it checks request signatures like S3 does). */
const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** A fake S3 server of a test's own: on a free port, with one fresh bucket, in a temporary directory. */
export interface TestS3Server {
  endpoint: string;
  bucket: string;
  /** The storage configuration of an app keeping its objects in this server's bucket. */
  storageConfig(prefix?: string): NonNullable<ConfigOverrides['storage']>;
  /** Stops the server and removes everything it stored. */
  close(): Promise<void>;
}

/** Starts s3rver on 127.0.0.1 (port 0: the system picks a free one) with a bucket of a unique name. */
export async function startS3Server(): Promise<TestS3Server> {
  // Loaded here, not with the module: every test imports the testing helpers, few start a server.
  const { default: S3rver } = await import('s3rver');
  const directory = mkdtempSync(path.join(tmpdir(), 'shopstack-s3rver-'));
  const bucket = uniqueName('test').toLowerCase().replaceAll('_', '-');
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    storageConfig: (prefix) => ({
      kind: 's3',
      s3: {
        bucket,
        endpoint,
        region: 'us-east-1',
        ...(prefix ? { prefix } : {}),
        ...S3RVER_CREDENTIALS,
      },
    }),
    close: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
