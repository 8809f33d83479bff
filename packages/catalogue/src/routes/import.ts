import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { accessGuard, STAFF, utf8Body, problemResponses, bearerSecurity } from '@shopstack/kernel';
import { IMPORT_MAX_ITEMS, IMPORT_MAX_VARIANTS, ImportJsonBody, ImportReport } from '../schemas/admin.js';
import { CSV_COLUMNS } from '../services/import-csv.js';
import type { CatalogueRouteOptions } from './index.js';

/** Largest import body: a few thousand products with their variants fit comfortably. */
export const IMPORT_BODY_LIMIT = 10 * 1024 * 1024;

const CsvBody = Type.String({
  minLength: 1,
  description:
    `One row per variant after a header row. Columns: ${CSV_COLUMNS.join(', ')}, and option:<Name> per option ` +
    '(e.g. option:Size). Rows with the same slug (or, without slugs, the same name) form one product; product ' +
    'columns may be left empty after its first row. Prices and compare_at_price are whole minor units (1999 for ' +
    '19.99) in the store currency; stock sets units on hand; empty cells leave existing values alone.',
});

function unsupportedMediaType(mediaType: string): Error {
  return Object.assign(
    new Error(`Send application/json or text/csv, not ${mediaType || 'no content type'}.`),
    {
      statusCode: 415,
      code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
    },
  );
}

/**
 * Bulk create-or-update of products from JSON or CSV. A product with any invalid row is skipped
 * and reported (row and field); every valid product is written, each one whole or not at all.
 */
export const importRoutes: FastifyPluginAsync<CatalogueRouteOptions> = async (fastify, { api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  // Registered inside this plugin only: no other catalogue route accepts CSV. Read as bytes, so a
  // file that is not UTF-8 is refused (400 invalid_utf8, naming the line) rather than read as U+FFFD.
  app.addContentTypeParser(
    'text/csv',
    { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT },
    (_request, body, done) => {
      let text: string;
      try {
        text = utf8Body(body as Buffer);
      } catch (err) {
        done(err as Error, undefined);
        return;
      }
      done(null, text);
    },
  );

  app.post(
    '/admin/import',
    {
      onRequest: accessGuard(STAFF, 'import products'),
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        operationId: 'adminImportProducts',
        tags: ['catalogue-admin'],
        security: bearerSecurity,
        summary: 'Import products from JSON or CSV (create or update by slug and SKU)',
        description:
          'Each product is checked on its own: one with an invalid row is skipped and every bad row is reported ' +
          'with its row and field; the other products are written (each product whole or not at all). A file ' +
          'that cannot be read at all is refused with 422 and changes nothing (code csv_unreadable, or ' +
          `csv_bad_header for an unknown, repeated or missing column).\n\nLimits: the body may hold at most ` +
          `${IMPORT_BODY_LIMIT / (1024 * 1024)} MB (${IMPORT_BODY_LIMIT} bytes; larger bodies are refused with 413). ` +
          `A CSV may hold at most ${IMPORT_MAX_ITEMS} rows after its header (more is refused with 422, code ` +
          `import_too_many_rows, as soon as row ${IMPORT_MAX_ITEMS + 1} is read); a JSON import at most ` +
          `${IMPORT_MAX_ITEMS} products (more is a 400 naming the array) with at most ${IMPORT_MAX_VARIANTS} ` +
          'variants in all (more is refused with 422, code import_too_many_variants).',
        body: {
          content: {
            'application/json': { schema: ImportJsonBody },
            'text/csv': { schema: CsvBody },
          },
        },
        response: {
          200: ImportReport,
          ...problemResponses({
            422: [
              'import_too_many_rows',
              'import_too_many_variants',
              'csv_bad_header',
              'csv_unreadable',
              'invalid_text',
            ],
          }),
        },
      },
    },
    async (request) => {
      const body: unknown = request.body;
      if (request.mediaType === 'text/csv' && typeof body === 'string') {
        return api.admin.importProducts(request.ctx, { format: 'csv', text: body });
      }
      if (request.mediaType === 'application/json' && body && typeof body === 'object') {
        const items = Array.isArray(body) ? body : (body as { products: unknown[] }).products;
        return api.admin.importProducts(request.ctx, { format: 'json', items });
      }
      throw unsupportedMediaType(request.mediaType ?? '');
    },
  );
};
