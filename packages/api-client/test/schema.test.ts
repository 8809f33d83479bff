import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { currentApiTypes, SCHEMA_FILE } from '../scripts/openapi-types.js';

test(
  'the API types the web apps are checked against are those of the API as it is now',
  { timeout: 120_000 },
  async () => {
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    const current = await currentApiTypes();
    assert.ok(
      committed === current,
      'packages/api-client/src/schema.d.ts is out of date with /api/openapi.json: run "npm run generate:api" ' +
        'and fix what the type check then finds in the web apps',
    );
  },
);
