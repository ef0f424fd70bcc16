import { readFileSync, statSync } from 'node:fs';

/**
 * A secret mounted from a Kubernetes Secret as a file (a projected volume): read when first needed and again when
 * its modification time changes, because the kubelet swaps the file in place when the Secret is rotated. The value
 * is never logged; a file that cannot be read yields undefined (callers refuse, they do not crash).
 */
export function secretFileReader(path: string): () => string | undefined {
  let cached: { mtimeMs: number; value: string | undefined } | undefined;
  return () => {
    try {
      const { mtimeMs } = statSync(path);
      if (cached?.mtimeMs !== mtimeMs) {
        const value = readFileSync(path, 'utf8').trim();
        cached = { mtimeMs, value: value === '' ? undefined : value };
      }
      return cached.value;
    } catch {
      cached = undefined;
      return undefined;
    }
  };
}
