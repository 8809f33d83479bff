import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const REDOCLY = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')),
  'bin/cli.js',
);

interface RedoclyReport {
  totals: { errors: number; warnings: number };
  problems: Array<{
    ruleId: string;
    severity: string;
    message: string;
    location: Array<{ pointer: string }>;
  }>;
}

/** What Redocly found in a document: one line a problem, and its own counts of errors and warnings. */
export interface OpenApiLintReport {
  problems: string[];
  errors: number;
  warnings: number;
}

/** Lints an OpenAPI document (JSON text) with Redocly's `recommended` rules. */
export async function lintOpenApi(document: string): Promise<OpenApiLintReport> {
  const dir = mkdtempSync(path.join(tmpdir(), 'shopstack-openapi-'));
  try {
    const file = path.join(dir, 'openapi.json');
    writeFileSync(file, document);
    const run = await promisify(execFile)(
      process.execPath,
      [REDOCLY, 'lint', '--extends', 'recommended', '--format', 'json', file],
      {
        // A directory of its own, so no redocly.yaml of the repository changes the rules.
        cwd: dir,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        maxBuffer: 64 * 1024 * 1024,
      },
      // Redocly exits non-zero when it finds errors; its report is on stdout either way.
    ).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
    const report = JSON.parse(run.stdout) as RedoclyReport;
    return {
      problems: report.problems.map(
        (p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer ?? '?'}: ${p.message}`,
      ),
      errors: report.totals.errors,
      warnings: report.totals.warnings,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
