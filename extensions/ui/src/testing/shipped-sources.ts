// The extensions' shipped sources (what a bundle may hold): every .ts/.tsx under extensions/<name>/src but tests,
// testing/ folders, node_modules and dist. For the tests that check what shipped code may contain.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const EXTENSIONS_DIR = fileURLToPath(new URL('../../..', import.meta.url));

function collect(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'testing' && name !== 'node_modules' && name !== 'dist') collect(path, out);
    } else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

/** The shipped sources of the named extension folders (default: all of them, the UI kit included). */
export function shippedSources(keep: (extension: string) => boolean = () => true): string[] {
  return readdirSync(EXTENSIONS_DIR)
    .filter((name) => statSync(join(EXTENSIONS_DIR, name)).isDirectory() && keep(name))
    .flatMap((name) => collect(join(EXTENSIONS_DIR, name, 'src'), []));
}
