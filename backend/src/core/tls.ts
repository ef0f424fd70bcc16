import { readFileSync } from 'node:fs';
import type { Server } from 'node:https';
import { createSecureContext } from 'node:tls';
import type { Logger } from 'pino';
import { ConfigError } from './config.js';

/**
 * The listener's certificate and key, read from files a Secret (or cert-manager) mounts and rotates. At start a bad
 * file is a configuration error naming its key; later a bad rotation is logged and the current pair kept, so a
 * half-written Secret update never takes the listener down (docs/adr/0012).
 */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
}
export interface TlsPair {
  cert: Buffer;
  key: Buffer;
}

export function readTlsPair(files: TlsFiles): TlsPair {
  const pair = { cert: readFileSync(files.certFile), key: readFileSync(files.keyFile) };
  try {
    // Throws on unparsable PEM or a key that does not match the certificate.
    createSecureContext(pair);
  } catch (err) {
    throw new ConfigError(
      'TLS_CERT_FILE',
      'and TLS_KEY_FILE must hold a PEM certificate and its private key',
      `${files.certFile}, ${files.keyFile}: ${(err as Error).message}`,
    );
  }
  return pair;
}

/** Re-reads the files every `intervalMs` and serves a changed pair to new connections. Returns the stop. */
export function reloadTlsOnChange(
  server: Server,
  files: TlsFiles,
  initial: TlsPair,
  options: { intervalMs: number; log: Logger },
): () => void {
  let current = initial;
  const timer = setInterval(() => {
    let next: TlsPair;
    try {
      next = readTlsPair(files);
    } catch (err) {
      options.log.warn({ err }, 'TLS files unreadable or invalid; still serving the previous certificate');
      return;
    }
    if (next.cert.equals(current.cert) && next.key.equals(current.key)) return;
    server.setSecureContext(next);
    current = next;
    options.log.info({ certFile: files.certFile }, 'TLS certificate reloaded');
  }, options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
