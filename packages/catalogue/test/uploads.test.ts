import assert from 'node:assert/strict';
import { crc32, deflateSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { createObjectStorage, type ShopApp } from '@shopstack/kernel';
import {
  actAs,
  describeEachBackend,
  startS3Server,
  TestBackend,
  testBackends,
  type TestS3Server,
} from '@shopstack/kernel/testing';
import { catalogueService } from '../src/index.js';
import type { UploadedImage } from '../src/schemas/image-upload.js';
import { createProduct, staffHeaders, unique } from './staff.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';

let shade = 0;
/** A PNG of the given size whose bytes no other test uses (its colour differs). */
async function pngOf(width: number, height: number): Promise<Buffer> {
  shade += 1;
  return sharp({
    create: { width, height, channels: 3, background: { r: shade % 256, g: (shade * 7) % 256, b: 90 } },
  })
    .png()
    .toBuffer();
}

/** A PNG that only claims its size (its pixel data is empty): what a decompression bomb's header says. */
function pngHeaderClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(0))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function uploadTo(shop: ShopApp) {
  return (
    payload: Buffer,
    options: { contentType?: string; alt?: string; headers?: Record<string, string> } = {},
  ) =>
    shop.app.inject({
      method: 'POST',
      url: `/api/catalogue/admin/images${options.alt === undefined ? '' : `?alt=${encodeURIComponent(options.alt)}`}`,
      headers: { ...(options.headers ?? staffHeaders), 'content-type': options.contentType ?? 'image/png' },
      payload,
    });
}

/** Every key the app's image storage holds. */
async function storedNames(shop: ShopApp): Promise<string[]> {
  const storage = createObjectStorage(shop.config, 'images');
  try {
    const names: string[] = [];
    for await (const { key } of storage.list('')) names.push(key);
    return names;
  } finally {
    await storage.close();
  }
}

/** Fetches each size of an upload and checks it is served as an immutable WebP of its width. */
async function assertServed(shop: ShopApp, image: UploadedImage): Promise<void> {
  for (const size of image.sizes) {
    const res = await shop.app.inject({ method: 'GET', url: size.url });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'image/webp');
    assert.equal(res.headers['cache-control'], IMMUTABLE);
    assert.equal(Number(res.headers['content-length']), res.rawPayload.length);
    const etag = res.headers.etag as string;
    assert.match(etag, /^"[0-9a-f]{16}-\d+"$/);
    const metadata = await sharp(res.rawPayload).metadata();
    assert.equal(metadata.format, 'webp');
    assert.equal(metadata.width, size.width);

    const again = await shop.app.inject({ method: 'GET', url: size.url, headers: { 'if-none-match': etag } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
  }
}

describeEachBackend('product image uploads', (backend) => {
  let shop: ShopApp;
  let upload: ReturnType<typeof uploadTo>;
  before(async () => {
    shop = await backend.buildApp({ services: [catalogueService] });
    upload = uploadTo(shop);
  });

  test('an uploaded PNG is stored as WebP 320, 640 and 1280 wide, each served as immutable for a year', async () => {
    const res = await upload(await pngOf(1600, 1000), { alt: 'A red jacket, front' });
    assert.equal(res.statusCode, 201, res.body);
    const image = res.json() as UploadedImage;
    assert.deepEqual(
      image.sizes.map((s) => s.width),
      [320, 640, 1280],
    );
    const [small, medium, large] = image.sizes.map((s) => s.url);
    for (const url of [small, medium, large])
      assert.match(url!, /^\/api\/catalogue\/images\/files\/[0-9a-f]{16}-\d+\.webp$/);
    assert.equal(image.url, medium);
    assert.equal(image.srcset, `${small} 320w, ${medium} 640w, ${large} 1280w`);
    assert.deepEqual([image.width, image.height, image.alt], [640, 400, 'A red jacket, front']);
    await assertServed(shop, image);
  });

  test('the same bytes uploaded again give the same names; other bytes give other names', async () => {
    const png = await pngOf(800, 600);
    const first = (await upload(png)).json() as UploadedImage;
    const second = await upload(png, { contentType: 'application/octet-stream', alt: 'again' });
    assert.equal(second.statusCode, 201, second.body);
    const again = second.json() as UploadedImage;
    assert.deepEqual(again.sizes, first.sizes);
    assert.equal(again.alt, 'again');
    // An 800 pixels wide image has no 1280 size: nothing is enlarged.
    assert.deepEqual(
      first.sizes.map((s) => s.width),
      [320, 640],
    );
    const other = (await upload(await pngOf(800, 600))).json() as UploadedImage;
    assert.notEqual(other.url, first.url);
  });

  test('an image narrower than 320 pixels is kept at its own width, as the one size', async () => {
    const res = await upload(await pngOf(200, 300));
    assert.equal(res.statusCode, 201, res.body);
    const image = res.json() as UploadedImage;
    assert.deepEqual(
      image.sizes.map((s) => s.width),
      [200],
    );
    assert.deepEqual([image.width, image.height], [200, 300]);
    assert.equal(image.srcset, `${image.url} 200w`);
    await assertServed(shop, image);
  });

  test('JPEG, WebP, AVIF, GIF and TIFF files are taken too, under any image/* type or application/octet-stream', async () => {
    for (const format of ['jpeg', 'webp', 'avif', 'gif', 'tiff'] as const) {
      const bytes = await sharp(await pngOf(480, 360))
        .toFormat(format)
        .toBuffer();
      const res = await upload(bytes, {
        contentType: format === 'tiff' ? 'application/octet-stream' : 'image/x-any',
      });
      assert.equal(res.statusCode, 201, `${format}: ${res.body}`);
      assert.deepEqual(
        (res.json() as UploadedImage).sizes.map((s) => s.width),
        [320],
        format,
      );
    }
  });

  test('a photo is turned upright as its EXIF orientation says, and stored without its metadata', async () => {
    // Stored 1600x1000 but shown rotated a quarter turn (orientation 6): the picture is 1000 wide.
    const photo = await sharp(await pngOf(1600, 1000))
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const res = await upload(photo, { contentType: 'image/jpeg' });
    assert.equal(res.statusCode, 201, res.body);
    const image = res.json() as UploadedImage;
    assert.deepEqual(
      image.sizes.map((s) => s.width),
      [320, 640],
    );
    assert.deepEqual([image.width, image.height], [640, 1024]);
    const served = await shop.app.inject({ method: 'GET', url: image.url });
    const metadata = await sharp(served.rawPayload).metadata();
    assert.deepEqual([metadata.width, metadata.height, metadata.exif], [640, 1024, undefined]);
  });

  test('a file that is not an accepted image is refused 415 unsupported_image, whatever it is called, and nothing is stored', async () => {
    const before = await storedNames(shop);
    const png = await pngOf(400, 400);
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"><rect width="400" height="400"/></svg>';
    const refused: Array<[string, Buffer, string]> = [
      ['a text file sent as a PNG', Buffer.from('name,price\nshirt,10\n'), 'image/png'],
      ['an empty body', Buffer.alloc(0), 'image/png'],
      ['an SVG', Buffer.from(svg), 'image/svg+xml'],
      ['an SVG sent as a PNG', Buffer.from(svg), 'image/png'],
      ['a PDF', Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'), 'application/octet-stream'],
      ['a truncated PNG', png.subarray(0, Math.floor(png.length / 2)), 'image/png'],
      ['a PNG header without pixels', pngHeaderClaiming(1000, 800), 'image/png'],
    ];
    for (const [label, bytes, contentType] of refused) {
      const res = await upload(bytes, { contentType });
      assert.equal(res.statusCode, 415, `${label}: ${res.body}`);
      assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
      assert.equal(res.json().code, 'unsupported_image', label);
    }
    // JSON or text is not read at all by this route.
    const json = await upload(Buffer.from('{"url":"x"}'), { contentType: 'application/json' });
    assert.equal(json.statusCode, 415, json.body);
    assert.equal(json.json().code, 'invalid_media_type');
    assert.deepEqual(await storedNames(shop), before);
  });

  test('an image of more than 40 megapixels is refused 422 image_too_large before its pixels are decoded', async () => {
    const before = await storedNames(shop);
    const res = await upload(pngHeaderClaiming(8000, 5001));
    assert.equal(res.statusCode, 422, res.body);
    assert.equal(res.json().code, 'image_too_large');
    assert.deepEqual(await storedNames(shop), before);
  });

  test('only staff may upload: anonymous callers get 401, customers 403, and nothing is stored', async () => {
    const before = await storedNames(shop);
    const png = await pngOf(400, 300);
    const anonymous = await upload(png, { headers: {} });
    assert.equal(anonymous.statusCode, 401, anonymous.body);
    const customer = `Bearer ${await actAs({ kind: 'customer', id: unique('customer') }, 'catalogue')}`;
    const refused = await upload(png, { headers: { authorization: customer } });
    assert.equal(refused.statusCode, 403, refused.body);
    assert.deepEqual(await storedNames(shop), before);
  });

  test('an upload attached to a product comes back with its srcset, width and height from the public product route', async () => {
    const image = (await upload(await pngOf(1600, 1200), { alt: 'Trail boots' })).json() as UploadedImage;
    const product = await createProduct(shop, {
      name: unique('Trail Boots'),
      variants: [{ sku: unique('TB') }],
    });
    const { sizes: _sizes, ...entry } = image;
    const patched = await shop.app.inject({
      method: 'PATCH',
      url: `/api/catalogue/admin/products/${product.id}`,
      headers: staffHeaders,
      payload: { images: [entry, { url: '/images/plain.jpg', alt: 'Without sizes' }] },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.deepEqual(patched.json().images[0], entry);

    const expected = [entry, { url: '/images/plain.jpg', alt: 'Without sizes' }];
    const detail = await shop.app.inject({ method: 'GET', url: `/api/catalogue/products/${product.slug}` });
    assert.equal(detail.statusCode, 200, detail.body);
    assert.deepEqual(detail.json().images, expected);
    assert.deepEqual(entry, {
      url: image.sizes[1]!.url,
      alt: 'Trail boots',
      srcset: image.srcset,
      width: 640,
      height: 480,
    });
    const staffView = await shop.app.inject({
      method: 'GET',
      url: `/api/catalogue/admin/products/${product.id}`,
      headers: staffHeaders,
    });
    assert.deepEqual(staffView.json().images, expected);
  });

  test('a srcset that is not a list of image candidates is refused when attached to a product', async () => {
    const product = await createProduct(shop, {
      name: unique('Srcset Shirt'),
      variants: [{ sku: unique('SS') }],
    });
    for (const srcset of [
      'javascript:alert(1) 1x',
      '/a.webp',
      '/a.webp 320w,',
      '//evil.example/a.webp 320w',
    ]) {
      const res = await shop.app.inject({
        method: 'PATCH',
        url: `/api/catalogue/admin/products/${product.id}`,
        headers: staffHeaders,
        payload: { images: [{ url: '/a.webp', alt: '', srcset }] },
      });
      assert.equal(res.statusCode, 400, `${srcset}: ${res.body}`);
      assert.equal(res.json().field, 'images.0.srcset');
    }
  });

  test('a file name nobody uploaded is a 404 problem, and a name off the pattern a 400', async () => {
    const missing = await shop.app.inject({
      method: 'GET',
      url: '/api/catalogue/images/files/0123456789abcdef-640.webp',
    });
    assert.equal(missing.statusCode, 404, missing.body);
    assert.equal(missing.json().code, 'image_not_found');
    assert.equal(missing.headers['cache-control'], 'no-store');
    const conditional = await shop.app.inject({
      method: 'GET',
      url: '/api/catalogue/images/files/0123456789abcdef-640.webp',
      headers: { 'if-none-match': '"0123456789abcdef-640"' },
    });
    assert.equal(conditional.statusCode, 404, conditional.body);
    for (const name of ['..%2F..%2Fetc%2Fpasswd', 'ABCDEF0123456789-640.webp', '0123456789abcdef-640.png']) {
      const res = await shop.app.inject({ method: 'GET', url: `/api/catalogue/images/files/${name}` });
      assert.equal(res.statusCode, 400, `${name}: ${res.body}`);
    }
  });
});

describe('product image uploads kept in S3 (s3rver)', () => {
  const backend = new TestBackend(testBackends()[0]!);
  let s3: TestS3Server;
  let shop: ShopApp;
  before(async () => {
    s3 = await startS3Server();
    await backend.open();
    shop = await backend.buildApp({
      services: [catalogueService],
      config: { storage: s3.storageConfig('shop') },
    });
  });
  after(async () => {
    await backend.close();
    await s3.close();
  });

  test('an upload is stored in the bucket and served from it', async () => {
    const res = await uploadTo(shop)(await pngOf(1400, 700), { alt: 'Kept in S3' });
    assert.equal(res.statusCode, 201, res.body);
    const image = res.json() as UploadedImage;
    assert.deepEqual(
      image.sizes.map((s) => s.width),
      [320, 640, 1280],
    );
    assert.deepEqual(
      (await storedNames(shop)).sort(),
      image.sizes.map((s) => s.url.split('/').at(-1)!).sort(),
    );
    await assertServed(shop, image);
    const missing = await shop.app.inject({
      method: 'GET',
      url: '/api/catalogue/images/files/0123456789abcdef-320.webp',
    });
    assert.equal(missing.statusCode, 404, missing.body);
  });
});
