// Progress lines for long work (`up` can take minutes the first time: it may build binaries).
const started = Date.now();

export function step(message: string): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
  process.stderr.write(`[sandbox ${seconds}s] ${message}\n`);
}
