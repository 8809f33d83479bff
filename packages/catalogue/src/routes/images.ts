import { createHash } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { CatalogueRouteOptions } from './index.js';

const ImageParams = Type.Object(
  { name: Type.String({ pattern: '^[a-z0-9-]{1,120}\\.svg$', description: 'e.g. trail-jacket-1.svg' }) },
  { additionalProperties: false },
);

const SIZE = 600;
const MAX_LINE = 16;
const MAX_LINES = 3;

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** "trail-jacket-2" -> ["Trail Jacket"]: the words of the name, wrapped, without the trailing image number. */
function labelLines(base: string): string[] {
  const words = base.split('-').filter(Boolean);
  if (words.length > 1 && /^\d+$/.test(words.at(-1)!)) words.pop();
  const lines: string[] = [];
  for (const word of words.map((w) => w[0]!.toUpperCase() + w.slice(1))) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= MAX_LINE)
      lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word.length > MAX_LINE ? `${word.slice(0, MAX_LINE - 1)}…` : word);
  }
  if (lines.length > MAX_LINES) {
    lines.length = MAX_LINES;
    lines[MAX_LINES - 1] = `${lines[MAX_LINES - 1]!.slice(0, MAX_LINE - 1)}…`;
  }
  return lines;
}

function shape(kind: number, fill: string): string {
  const cx = SIZE / 2;
  const cy = 250;
  const r = 130;
  const polygon = (points: Array<[number, number]>) =>
    `<polygon points="${points.map(([x, y]) => `${Math.round(x)},${Math.round(y)}`).join(' ')}" fill="${fill}"/>`;
  const regular = (sides: number, rotation: number) =>
    polygon(
      Array.from({ length: sides }, (_, i) => {
        const angle = rotation + (2 * Math.PI * i) / sides;
        return [cx + r * Math.cos(angle), cy + r * Math.sin(angle)] as [number, number];
      }),
    );
  switch (kind) {
    case 0:
      return `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${fill}"/>`;
    case 1:
      return `<rect x="${cx - r}" y="${cy - r}" width="${2 * r}" height="${2 * r}" rx="28" fill="${fill}"/>`;
    case 2:
      return regular(3, -Math.PI / 2);
    case 3:
      return regular(4, 0);
    default:
      return regular(6, 0);
  }
}

/** A placeholder picture for an image name: colours and shape follow from a hash of the name, so it never changes. */
export function placeholderSvg(name: string): { svg: string; etag: string } {
  const base = name.replace(/\.svg$/, '');
  const hash = createHash('sha256').update(base).digest();
  const hue = hash.readUInt16BE(0) % 360;
  const accent = (hue + 40 + (hash[2]! % 80)) % 360;
  const lines = labelLines(base);
  const text = lines
    .map((line, i) => `<tspan x="${SIZE / 2}" dy="${i === 0 ? 0 : 46}">${escapeXml(line)}</tspan>`)
    .join('');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}" role="img">` +
    `<title>${escapeXml(lines.join(' '))}</title>` +
    `<rect width="${SIZE}" height="${SIZE}" fill="hsl(${hue} 45% 90%)"/>` +
    shape(hash[3]! % 5, `hsl(${accent} 55% 58%)`) +
    `<text x="${SIZE / 2}" y="${460}" text-anchor="middle" font-family="system-ui, sans-serif" font-size="40" ` +
    `font-weight="600" fill="hsl(${hue} 40% 22%)">${text}</text></svg>`;
  return { svg, etag: `"${hash.subarray(0, 12).toString('hex')}"` };
}

/** Generated product image placeholders, so a fresh store shows pictures without fetching anything. */
export const imageRoutes: FastifyPluginAsync<CatalogueRouteOptions> = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/images/:name',
    {
      // The picture of a name never changes.
      config: { cacheControl: 'public, max-age=31536000, immutable' },
      schema: {
        operationId: 'getPlaceholderImage',
        tags: ['catalogue'],
        summary: 'A generated SVG placeholder image for a name',
        params: ImageParams,
        response: {
          200: Type.String({ description: 'image/svg+xml' }),
          304: Type.Null({ description: 'Not modified (If-None-Match)' }),
        },
      },
    },
    // A matching If-None-Match becomes a 304 in the kernel, which compares entity tags for every route.
    async (request, reply) => {
      const { svg, etag } = placeholderSvg(request.params.name);
      reply
        .header('etag', etag)
        // The picture is static markup: nothing in it may load or run anything.
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
      return reply.type('image/svg+xml; charset=utf-8').send(svg);
    },
  );
};
