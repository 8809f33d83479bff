import { test } from 'node:test';
import { restoreDrill } from './backup-drill.js';

test('a PostgreSQL store restored from its backup holds every table and upload as at the backup; damaged backups are refused', async (t) => {
  await restoreDrill(t, 'postgres');
});
