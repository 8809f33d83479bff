import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import {
  accessGuard,
  bearerSecurity,
  createObjectStorage,
  ifNoneMatchMatches,
  problemResponses,
  STAFF,
} from '@shopstack/kernel';
import { ImageFileParams, ImageUploadQuery, UploadedImage } from '../schemas/image-upload.js';
import { IMAGE_WIDTHS, MAX_IMAGE_PIXELS, ProductImages } from '../services/images.js';
import type { CatalogueRouteOptions } from './index.js';

/** Largest upload: a full-size photo from a good camera fits. */
export const IMAGE_UPLOAD_LIMIT = 15 * 1024 * 1024;

/** A file's name is the hash of its content: what it names never changes, so it may be kept for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Media types the upload reads as bytes; what the bytes are is sharp's to say, not the header's. */
const IMAGE_MEDIA_TYPE = /^image\/[a-z0-9.+-]+(?:\s*;|$)/i;

/** The file's bytes: the kernel leaves a body read as bytes to its route, which decodes it. */
const ImageBytes = Type.Unsafe<Buffer>({
  type: 'string',
  description: 'The image file as it is, JPEG, PNG, WebP, AVIF, GIF or TIFF',
});

/**
 * Staff upload product images; anyone reads the stored files. An upload's body is the file itself
 * (no multipart form), read only under image/* and application/octet-stream.
 */
export const uploadRoutes: FastifyPluginAsync<CatalogueRouteOptions> = async (fastify, { runtime }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const images = new ProductImages(createObjectStorage(runtime.config, 'images'));
  app.addHook('onClose', async () => images.close());

  // In this plugin only: no other body is read here, so JSON or text gets 415 invalid_media_type.
  app.removeAllContentTypeParsers();
  for (const mediaType of [IMAGE_MEDIA_TYPE, 'application/octet-stream']) {
    app.addContentTypeParser(
      mediaType,
      { parseAs: 'buffer', bodyLimit: IMAGE_UPLOAD_LIMIT },
      (_request, body, done) => done(null, body),
    );
  }

  app.post(
    '/admin/images',
    {
      onRequest: accessGuard(STAFF, 'upload images'),
      bodyLimit: IMAGE_UPLOAD_LIMIT,
      schema: {
        operationId: 'adminUploadImage',
        tags: ['catalogue-admin'],
        security: bearerSecurity,
        summary: 'Upload a product image; answers its stored sizes for a product',
        description:
          `The body is the image file (any image/* type or application/octet-stream, at most ` +
          `${IMAGE_UPLOAD_LIMIT / (1024 * 1024)} MB). What it is comes from its content, not its name or ` +
          'Content-Type: anything that does not decode as JPEG, PNG, WebP, AVIF, GIF or TIFF is refused with ' +
          `415 unsupported_image, one of more than ${MAX_IMAGE_PIXELS / 1_000_000} megapixels with 422 ` +
          `image_too_large. It is turned upright (EXIF), stripped of its metadata and stored as WebP ` +
          `${IMAGE_WIDTHS.join(', ')} pixels wide (the widths it has; its own width if it is narrower), ` +
          'named by the hash of the file: the same file uploaded again gives the same URLs. The answer ' +
          "without `sizes` is an entry for a product's `images`.",
        querystring: ImageUploadQuery,
        body: {
          content: {
            'image/*': { schema: ImageBytes },
            'application/octet-stream': { schema: ImageBytes },
          },
        },
        response: {
          201: UploadedImage,
          ...problemResponses({
            415: ['unsupported_image'],
            422: ['image_too_large'],
            503: ['unavailable'],
          }),
        },
      },
    },
    async (request, reply) => {
      const body: unknown = request.body;
      const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
      return reply.code(201).send(await images.upload(request.ctx, bytes, request.query.alt));
    },
  );

  app.get(
    '/images/files/:name',
    {
      config: { cacheControl: IMMUTABLE },
      schema: {
        operationId: 'getProductImageFile',
        tags: ['catalogue'],
        summary: 'A stored product image file (WebP), as an upload named it',
        params: ImageFileParams,
        response: {
          200: {
            description: 'The image',
            content: { 'image/webp': { schema: Type.String({ contentMediaType: 'image/webp' }) } },
          },
          304: Type.Null({ description: 'Not modified: the entity tag sent in If-None-Match is current' }),
          ...problemResponses({ 404: ['image_not_found'], 503: ['unavailable'] }),
        },
      },
    },
    async (request, reply) => {
      const { name } = request.params;
      const etag = `"${name.slice(0, -'.webp'.length)}"`;
      reply.header('etag', etag).type('image/webp');
      // Answered here rather than by the kernel, so that no stream is opened only to be dropped.
      if (ifNoneMatchMatches(request.headers['if-none-match'], etag)) {
        await images.info(request.ctx, name);
        return reply.code(304).send(null);
      }
      const file = await images.open(request.ctx, name);
      return reply.header('content-length', file.size).send(file.body as never);
    },
  );
};
