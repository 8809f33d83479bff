// The API's TypeScript types, generated from the OpenAPI document of a store running every service.
// `npm run generate:api` writes them to src/schema.d.ts; a test fails when that file is out of date,
// so a changed API breaks the web apps' type check instead of their pages.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { knownServices } from '@shopstack/cli';
import { TestBackend } from '@shopstack/kernel/testing';
import openapiTS, { astToString } from 'openapi-typescript';

export const SCHEMA_FILE = path.join(import.meta.dirname, '..', 'src', 'schema.d.ts');

const HEADER =
  '// Generated from /api/openapi.json by `npm run generate:api`. Do not edit: regenerate instead.\n';

/** The OpenAPI document a store running every service serves at /api/openapi.json. */
export async function currentOpenApiDocument(): Promise<Record<string, unknown>> {
  const backend = new TestBackend('pglite');
  await backend.open();
  try {
    const shop = await backend.buildApp({ services: [...knownServices] });
    const response = await shop.app.inject({ method: 'GET', url: '/api/openapi.json' });
    if (response.statusCode !== 200) throw new Error(`openapi.json answered ${response.statusCode}`);
    return response.json();
  } finally {
    await backend.close();
  }
}

/** The text of src/schema.d.ts for the API as it is now. */
export async function currentApiTypes(): Promise<string> {
  const doc = await currentOpenApiDocument();
  const ast = await openapiTS(doc as never, { alphabetize: true });
  return HEADER + astToString(ast);
}

if (process.argv[1] === import.meta.filename) {
  writeFileSync(SCHEMA_FILE, await currentApiTypes());
  console.log(`Wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
}
