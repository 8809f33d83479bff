import { Readable } from 'node:stream';
import type * as S3SdkModule from '@aws-sdk/client-s3';
import type { CompletedPart, S3Client } from '@aws-sdk/client-s3';

type S3Sdk = typeof S3SdkModule;
let sdk: Promise<S3Sdk> | undefined;
/** The AWS SDK is large (tens of MB in every process): it loads only where S3 storage is used. */
const loadSdk = (): Promise<S3Sdk> => (sdk ??= import('@aws-sdk/client-s3'));
import { assertObjectKey, assertObjectPrefix } from './object-key.js';
import type { ListedObject, ObjectInfo, ObjectStorage, StoredObject } from './storage.js';

export interface S3ObjectStorageOptions {
  bucket: string;
  region: string;
  /** An S3-compatible server (MinIO, s3rver, ...); AWS itself without it. */
  endpoint?: string;
  forcePathStyle: boolean;
  /** Keys of this storage live under `<prefix>/`. */
  prefix: string;
  /** Without them the AWS SDK looks for its own (AWS_* variables, profiles, instance roles). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Bytes of each part of a streamed upload (S3 wants at least 5 MiB but for the last). */
  partSize?: number;
}

/** Streams up to this size go up in one PutObject; larger ones in parts of it. */
const DEFAULT_PART_SIZE = 8 * 1024 * 1024;

function isMissing(err: unknown): boolean {
  const name = (err as { name?: string }).name;
  return name === 'NoSuchKey' || name === 'NotFound';
}

/** A stream cut into parts of `size` bytes (the last one shorter). */
async function* partsOf(stream: Readable, size: number): AsyncGenerator<Buffer> {
  let chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    let data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    while (length + data.length >= size) {
      const take = size - length;
      chunks.push(data.subarray(0, take));
      yield Buffer.concat(chunks);
      chunks = [];
      length = 0;
      data = data.subarray(take);
    }
    if (data.length > 0) {
      chunks.push(data);
      length += data.length;
    }
  }
  if (length > 0) yield Buffer.concat(chunks);
}

/**
 * Objects in an S3 bucket (AWS or any S3-compatible server), under a key prefix. Checksums are
 * computed and checked only where S3 requires them, as servers other than AWS often do not speak
 * the SDK's newer default checksums. A stream of unknown length goes up in parts, so no more than
 * one part is held in memory.
 */
export class S3ObjectStorage implements ObjectStorage {
  readonly kind = 's3';
  private readonly client: Promise<S3Client>;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly partSize: number;

  constructor(options: S3ObjectStorageOptions) {
    this.bucket = options.bucket;
    this.prefix = options.prefix.replace(/^\/+|\/+$/g, '');
    this.partSize = options.partSize ?? DEFAULT_PART_SIZE;
    this.client = loadSdk().then(
      ({ S3Client }) =>
        new S3Client({
          region: options.region,
          forcePathStyle: options.forcePathStyle,
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
          ...(options.endpoint ? { endpoint: options.endpoint } : {}),
          ...(options.credentials ? { credentials: options.credentials } : {}),
        }),
    );
  }

  /** The client and the SDK's commands, once the SDK has loaded. */
  private async s3(): Promise<{ client: S3Client; sdk: S3Sdk }> {
    const [client, sdk] = await Promise.all([this.client, loadSdk()]);
    return { client, sdk };
  }

  private keyOf(key: string): string {
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  async put(key: string, body: Buffer | Readable, options: { contentType?: string } = {}): Promise<void> {
    assertObjectKey(key);
    const { client, sdk } = await this.s3();
    const object = { Bucket: this.bucket, Key: this.keyOf(key), ContentType: options.contentType };
    if (Buffer.isBuffer(body)) {
      await client.send(new sdk.PutObjectCommand({ ...object, Body: body, ContentLength: body.length }));
      return;
    }
    const parts = partsOf(body, this.partSize);
    const first = await parts.next();
    const second = first.done ? first : await parts.next();
    if (second.done) {
      const bytes = first.done ? Buffer.alloc(0) : first.value;
      await client.send(new sdk.PutObjectCommand({ ...object, Body: bytes, ContentLength: bytes.length }));
      return;
    }
    const { UploadId } = await client.send(new sdk.CreateMultipartUploadCommand(object));
    const target = { Bucket: this.bucket, Key: object.Key, UploadId };
    try {
      const completed: CompletedPart[] = [];
      const upload = async (bytes: Buffer) => {
        const PartNumber = completed.length + 1;
        const { ETag } = await client.send(
          new sdk.UploadPartCommand({ ...target, PartNumber, Body: bytes, ContentLength: bytes.length }),
        );
        completed.push({ ETag, PartNumber });
      };
      await upload(first.value as Buffer);
      await upload(second.value);
      for await (const bytes of parts) await upload(bytes);
      await client.send(
        new sdk.CompleteMultipartUploadCommand({ ...target, MultipartUpload: { Parts: completed } }),
      );
    } catch (err) {
      // The parts sent so far would be kept (and billed) until aborted; the error that matters is the first.
      await client.send(new sdk.AbortMultipartUploadCommand(target)).catch(() => {});
      throw err;
    }
  }

  async get(key: string): Promise<StoredObject | null> {
    assertObjectKey(key);
    const { client, sdk } = await this.s3();
    try {
      const out = await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }));
      if (!(out.Body instanceof Readable)) throw new Error('The S3 client answered without a Node stream');
      return {
        body: out.Body,
        size: out.ContentLength ?? 0,
        ...(out.ContentType ? { contentType: out.ContentType } : {}),
      };
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    assertObjectKey(key);
    const { client, sdk } = await this.s3();
    try {
      const out = await client.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }));
      return { size: out.ContentLength ?? 0, ...(out.ContentType ? { contentType: out.ContentType } : {}) };
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    assertObjectKey(key);
    const { client, sdk } = await this.s3();
    await client.send(new sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }));
  }

  async *list(prefix: string): AsyncIterable<ListedObject> {
    assertObjectPrefix(prefix);
    const base = this.prefix ? `${this.prefix}/` : '';
    const { client, sdk } = await this.s3();
    const pages = sdk.paginateListObjectsV2({ client }, { Bucket: this.bucket, Prefix: base + prefix });
    for await (const page of pages) {
      for (const object of page.Contents ?? []) {
        if (object.Key?.startsWith(base))
          yield { key: object.Key.slice(base.length), size: object.Size ?? 0 };
      }
    }
  }

  async close(): Promise<void> {
    (await this.client).destroy();
  }
}
