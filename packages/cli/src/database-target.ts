import { embeddedDatabaseDir, type Config } from '@shopstack/kernel';

/** A postgres:// URL with its password (in the user info or the query string) replaced. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '[redacted]';
  }
  if (url.password) url.password = 'redacted';
  for (const key of [...url.searchParams.keys()]) {
    if (/pass|secret|token|key/i.test(key)) url.searchParams.set(key, 'redacted');
  }
  return url.toString();
}

/** Where a configuration keeps its data, for people: the PGlite directory or the PostgreSQL server and database. */
export function describeDatabaseTarget(config: Config): string {
  if (!config.database.url) return `PGlite (embedded PostgreSQL) in ${embeddedDatabaseDir(config)}`;
  const url = new URL(config.database.url);
  const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default database)';
  return `PostgreSQL ${user}${url.host}/${database}`;
}
