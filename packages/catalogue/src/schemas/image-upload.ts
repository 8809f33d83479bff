import { Type, type Static } from '@sinclair/typebox';
import { ImageUrl } from './common.js';

/** A stored image file's name: the original's content hash (16 hex digits), a width, `.webp`. */
export const IMAGE_FILE_NAME_PATTERN = '^[0-9a-f]{16}-[1-9][0-9]{0,4}\\.webp$';

export const ImageFileParams = Type.Object(
  {
    name: Type.String({
      pattern: IMAGE_FILE_NAME_PATTERN,
      description: 'a stored image file such as 3f9a0c1b2d4e5f60-640.webp',
    }),
  },
  { additionalProperties: false },
);

export const ImageUploadQuery = Type.Object(
  {
    alt: Type.Optional(
      Type.String({ maxLength: 300, description: 'Text describing the image, returned for the img alt' }),
    ),
  },
  { additionalProperties: false },
);
export type ImageUploadQuery = Static<typeof ImageUploadQuery>;

/** One size of an uploaded image. */
export const ImageSize = Type.Object(
  { width: Type.Integer({ minimum: 1 }), url: ImageUrl },
  { additionalProperties: false },
);

/**
 * An uploaded image in every stored size. `url`, `alt`, `srcset`, `width` and `height` are what a
 * product's `images` entry takes, as they are.
 */
export const UploadedImage = Type.Object(
  {
    url: Type.String({
      description: 'The 640 pixels wide size, or the largest one if the image is narrower',
    }),
    srcset: Type.String({
      description: 'Every size for the img srcset attribute: "<url> 320w, <url> 640w, ..."',
    }),
    width: Type.Integer({ minimum: 1, description: 'Pixels wide of the image at url' }),
    height: Type.Integer({ minimum: 1, description: 'Pixels high of the image at url' }),
    alt: Type.String(),
    sizes: Type.Array(ImageSize, { minItems: 1, description: 'Each stored size, narrowest first' }),
  },
  { additionalProperties: false },
);
export type UploadedImage = Static<typeof UploadedImage>;
