import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RenderedPage } from '../src/entry-server.js';
import { scriptJson } from '../src/head.js';
import type { StoreInfo } from '../src/shop.js';

/** Vite's build manifest: each source module's output file and the CSS and chunks it needs. */
export type Manifest = Record<
  string,
  { file: string; css?: string[]; imports?: string[]; isEntry?: boolean }
>;

const ENTRY = 'src/entry-client.tsx';

export function readManifest(clientDir: string): Manifest {
  return JSON.parse(readFileSync(path.join(clientDir, '.vite', 'manifest.json'), 'utf8')) as Manifest;
}

/** The entry's script and every stylesheet and chunk it imports, without repeats. */
function entryAssets(manifest: Manifest): { script: string; css: string[]; preload: string[] } {
  const entry = manifest[ENTRY];
  if (!entry) throw new Error(`The storefront build has no ${ENTRY}: rebuild it`);
  const css = new Set(entry.css ?? []);
  const preload = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || preload.has(chunk.file)) return;
    preload.add(chunk.file);
    for (const file of chunk.css ?? []) css.add(file);
    for (const next of chunk.imports ?? []) visit(next);
  };
  for (const key of entry.imports ?? []) visit(key);
  return { script: entry.file, css: [...css], preload: [...preload] };
}

const ICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Cpath d='M16 2 30 16 16 30 2 16z' fill='%231f4d3a'/%3E%3C/svg%3E";

/** The whole HTML document of a rendered page. */
export function pageHtml(page: RenderedPage, store: StoreInfo, manifest: Manifest): string {
  const assets = entryAssets(manifest);
  const lang = store.locale.split('-')[0] ?? 'en';
  const links = [
    ...assets.css.map((file) => `<link rel="stylesheet" href="/${file}">`),
    ...assets.preload.map((file) => `<link rel="modulepreload" href="/${file}">`),
  ];
  return `<!doctype html>
<html lang="${lang}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="theme-color" content="#1f4d3a">
    <link rel="icon" href="${ICON}">
    ${page.head}
    ${links.join('\n    ')}
  </head>
  <body>
    <div id="root">${page.html}</div>
    <script>window.__SHOPSTACK__ = ${scriptJson({ store, page: page.snapshot })};</script>
    <script type="module" src="/${assets.script}"></script>
  </body>
</html>`;
}
