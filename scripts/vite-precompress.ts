// A Vite build step shared by the storefront and the admin.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** Writes a .br and a .gz beside each text asset over 1 KB, which the server sends to browsers that accept them. */
export function precompress(): Plugin {
  return {
    name: 'shopstack-precompress',
    apply: 'build',
    writeBundle(options) {
      const dir = path.join(options.dir!, 'assets');
      let files: string[] = [];
      try {
        files = readdirSync(dir);
      } catch {
        return;
      }
      for (const name of files) {
        if (!/\.(js|css|svg|json)$/.test(name)) continue;
        const file = path.join(dir, name);
        if (statSync(file).size < 1024) continue;
        const content = readFileSync(file);
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
        writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
      }
    },
  };
}
