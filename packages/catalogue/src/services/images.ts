import { createHash } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import {
  authorize,
  InvalidInput,
  NotFound,
  STAFF,
  UnsupportedMedia,
  UpstreamUnavailable,
  type ObjectInfo,
  type ObjectStorage,
  type RequestContext,
  type StoredObject,
} from '@shopstack/kernel';
import type { UploadedImage } from '../schemas/image-upload.js';

/** Widths the storefront's srcset offers: phones, product cards, product pages on wide screens. */
export const IMAGE_WIDTHS = [320, 640, 1280] as const;
/** The width an upload's `url` names when the image has it: what a product card shows. */
const PRIMARY_WIDTH = 640;
/** Images of more pixels are refused: decoding one costs seconds of CPU and gigabytes of memory. */
export const MAX_IMAGE_PIXELS = 40_000_000;
/** Where the catalogue serves stored image files (GET /api/catalogue/images/files/:name). */
export const IMAGE_FILES_PATH = '/api/catalogue/images/files/';

const UNSUPPORTED =
  'The file is not an image the shop takes: send a JPEG, PNG, WebP, AVIF, GIF or TIFF image.';

/** Decoders of sharp the shop accepts uploads from (AVIF is read by the HEIF decoder). */
function isAcceptedFormat(metadata: Metadata): boolean {
  if (metadata.format === 'heif') return metadata.compression === 'av1';
  return ['jpeg', 'png', 'webp', 'gif', 'tiff'].includes(metadata.format);
}

function unsupported(cause: unknown): UnsupportedMedia {
  const error = new UnsupportedMedia(UNSUPPORTED, { code: 'unsupported_image' });
  error.cause = cause;
  return error;
}

/** The widths to store: those of IMAGE_WIDTHS the original has, or its own width when it is narrower. */
function widthsFor(originalWidth: number): number[] {
  const widths = IMAGE_WIDTHS.filter((width) => width <= originalWidth);
  return widths.length > 0 ? widths : [originalWidth];
}

/**
 * Product images uploaded by staff: each checked by decoding it (never by its name or Content-Type),
 * stored as WebP in the storefront's widths under names made of the original's content hash, so the
 * same file uploaded twice gives the same names and a name's bytes never change.
 */
export class ProductImages {
  constructor(private readonly storage: ObjectStorage) {}

  /** Resizes and stores an uploaded image; answers its sizes, as a product's image entry takes them. */
  async upload(ctx: RequestContext, bytes: Buffer, alt = ''): Promise<UploadedImage> {
    authorize(ctx, STAFF, 'upload images');
    const metadata = await this.inspect(bytes);
    const { width: originalWidth, height: originalHeight } = metadata.autoOrient;
    if (originalWidth * originalHeight > MAX_IMAGE_PIXELS) {
      throw new InvalidInput(
        `The image is ${originalWidth}x${originalHeight} pixels; at most ${MAX_IMAGE_PIXELS / 1_000_000} megapixels are taken.`,
        'body',
        { code: 'image_too_large' },
      );
    }
    const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
    const files = await this.resize(bytes, widthsFor(originalWidth), hash);
    for (const file of files) await this.store(file.name, file.data);

    const urlOf = (name: string) => IMAGE_FILES_PATH + name;
    const primary = files.find((file) => file.width === PRIMARY_WIDTH) ?? files.at(-1)!;
    return {
      url: urlOf(primary.name),
      srcset: files.map((file) => `${urlOf(file.name)} ${file.width}w`).join(', '),
      width: primary.width,
      height: primary.height,
      alt,
      sizes: files.map((file) => ({ width: file.width, url: urlOf(file.name) })),
    };
  }

  /** The header of the file, read without decoding the pixels; refused unless it is an accepted image. */
  private async inspect(bytes: Buffer): Promise<Metadata> {
    let metadata: Metadata;
    try {
      metadata = await sharp(bytes).metadata();
    } catch (err) {
      throw unsupported(err);
    }
    if (!isAcceptedFormat(metadata) || !metadata.width || !metadata.height) throw unsupported(null);
    return metadata;
  }

  /** One WebP per width, turned upright as its EXIF orientation says, without its metadata (GPS, camera). */
  private async resize(bytes: Buffer, widths: number[], hash: string) {
    const original = sharp(bytes, { autoOrient: true, limitInputPixels: MAX_IMAGE_PIXELS });
    const files: Array<{ name: string; width: number; height: number; data: Buffer }> = [];
    // One size after another: sharp already spreads each over the CPU's threads.
    for (const width of widths) {
      try {
        const { data, info } = await original
          .clone()
          .resize({ width, withoutEnlargement: true })
          .webp({ quality: 80 })
          .toBuffer({ resolveWithObject: true });
        files.push({ name: `${hash}-${info.width}.webp`, width: info.width, height: info.height, data });
      } catch (err) {
        // A header that reads well over pixels that do not (a truncated or corrupt file).
        throw unsupported(err);
      }
    }
    return files;
  }

  private async store(name: string, data: Buffer): Promise<void> {
    try {
      await this.storage.put(name, data, { contentType: 'image/webp' });
    } catch (err) {
      throw new UpstreamUnavailable('image storage', (err as Error).message, undefined, err);
    }
  }

  /** A stored image file, to stream; NotFound (image_not_found) when no upload made it. */
  async open(_ctx: RequestContext, name: string): Promise<StoredObject> {
    return this.found(name, await this.reading(() => this.storage.get(name)));
  }

  /** A stored image file's size, without its bytes (HEAD, If-None-Match). */
  async info(_ctx: RequestContext, name: string): Promise<ObjectInfo> {
    return this.found(name, await this.reading(() => this.storage.head(name)));
  }

  private async reading<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (err) {
      throw new UpstreamUnavailable('image storage', (err as Error).message, undefined, err);
    }
  }

  private found<T>(name: string, object: T | null): T {
    if (object === null) throw new NotFound(`No image file ${name}`, { code: 'image_not_found' });
    return object;
  }

  async close(): Promise<void> {
    await this.storage.close();
  }
}
