import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { ConfigError, listenerTls, loadConfig } from './config.js';

const load = (env: Record<string, string>, implemented: Parameters<typeof loadConfig>[1] = []) =>
  loadConfig(env, implemented);

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err;
  }
  assert.fail('expected a ConfigError');
}

/** Runs the real server process with only this environment (it should stop before listening). */
const runServer = (env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../server.ts', import.meta.url))], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });

describe('config', () => {
  it('applies defaults and converts numbers', () => {
    const config = load({ AUTH_MODE: 'kubernetes', PORT: '9090' });
    assert.equal(config.PORT, 9090);
    assert.equal(config.HOST, '0.0.0.0');
    assert.equal(config.STORE_URL, 'sqlite:data/backend.sqlite');
    assert.deepEqual(config.features, []);
    assert.equal(config.PROMETHEUS_URL, 'http://prometheus-operated.kubesphere-monitoring-system.svc:9090');
    assert.equal(
      load({ AUTH_MODE: 'kubernetes', PROMETHEUS_URL: 'http://p:9090' }).PROMETHEUS_URL,
      'http://p:9090',
    );
  });

  it('names the key and the expectation for a bad number', () => {
    const err = configError(() => load({ AUTH_MODE: 'kubernetes', PORT: 'eighty' }));
    assert.equal(err.key, 'PORT');
    assert.match(err.message, /PORT must be an integer >= 0 <= 65535/);
    assert.match(err.message, /"eighty"/);
  });

  it('names the allowed values for an enum', () => {
    const err = configError(() => load({ AUTH_MODE: 'ldap' }));
    assert.equal(err.key, 'AUTH_MODE');
    assert.match(err.message, /must be one of "kubernetes", "kubesphere"/);
  });

  it('GPU_QUOTA_ENFORCER: auto by default, one of auto|kueue|volcano|none', () => {
    assert.equal(load({ AUTH_MODE: 'kubernetes' }).GPU_QUOTA_ENFORCER, 'auto');
    assert.equal(
      load({ AUTH_MODE: 'kubernetes', GPU_QUOTA_ENFORCER: 'volcano' }).GPU_QUOTA_ENFORCER,
      'volcano',
    );
    const err = configError(() => load({ AUTH_MODE: 'kubernetes', GPU_QUOTA_ENFORCER: 'kai' }));
    assert.equal(err.key, 'GPU_QUOTA_ENFORCER');
    assert.match(err.message, /GPU_QUOTA_ENFORCER must be one of "auto", "kueue", "volcano", "none"/);
    assert.match(err.message, /"kai"/);
  });

  it('PROMETHEUS_TIMEOUT_MS: 30 s by default, apart from the 5 s of other upstreams, and never 0', () => {
    const config = load({ AUTH_MODE: 'kubernetes' });
    assert.equal(config.PROMETHEUS_TIMEOUT_MS, 30_000);
    assert.equal(config.UPSTREAM_TIMEOUT_MS, 5_000);
    assert.equal(
      load({ AUTH_MODE: 'kubernetes', PROMETHEUS_TIMEOUT_MS: '60000' }).PROMETHEUS_TIMEOUT_MS,
      60_000,
    );
    assert.equal(
      configError(() => load({ AUTH_MODE: 'kubernetes', PROMETHEUS_TIMEOUT_MS: '0' })).key,
      'PROMETHEUS_TIMEOUT_MS',
    );
  });

  it('ALERT_OUTBOX_*_BACKOFF_MS: 5 s to 15 min by default; a bad value or a maximum below the base names the key', () => {
    const config = load({ AUTH_MODE: 'kubernetes' });
    assert.equal(config.ALERT_OUTBOX_BASE_BACKOFF_MS, 5_000);
    assert.equal(config.ALERT_OUTBOX_MAX_BACKOFF_MS, 900_000);
    const slow = load({
      AUTH_MODE: 'kubernetes',
      ALERT_OUTBOX_BASE_BACKOFF_MS: '60000',
      ALERT_OUTBOX_MAX_BACKOFF_MS: '60000',
    });
    assert.equal(slow.ALERT_OUTBOX_BASE_BACKOFF_MS, 60_000);
    const zero = configError(() => load({ AUTH_MODE: 'kubernetes', ALERT_OUTBOX_BASE_BACKOFF_MS: '0' }));
    assert.equal(zero.key, 'ALERT_OUTBOX_BASE_BACKOFF_MS');
    assert.match(zero.message, /must be an integer >= 100/);
    const words = configError(() => load({ AUTH_MODE: 'kubernetes', ALERT_OUTBOX_MAX_BACKOFF_MS: '15m' }));
    assert.equal(words.key, 'ALERT_OUTBOX_MAX_BACKOFF_MS');
    const below = configError(() =>
      load({
        AUTH_MODE: 'kubernetes',
        ALERT_OUTBOX_BASE_BACKOFF_MS: '10000',
        ALERT_OUTBOX_MAX_BACKOFF_MS: '5000',
      }),
    );
    assert.equal(below.key, 'ALERT_OUTBOX_MAX_BACKOFF_MS');
    assert.match(below.message, /must be at least ALERT_OUTBOX_BASE_BACKOFF_MS \(10000\)/);
    assert.match(below.message, /\(got 5000\)/);
  });

  it('KUBE_WATCH_CACHE_MAX_BYTES: 64 MiB by default, from 1 MiB to 1 GiB; outside that names the key', () => {
    assert.equal(load({ AUTH_MODE: 'kubernetes' }).KUBE_WATCH_CACHE_MAX_BYTES, 64 * 1024 * 1024);
    const set = (value: string) => load({ AUTH_MODE: 'kubernetes', KUBE_WATCH_CACHE_MAX_BYTES: value });
    assert.equal(set('1048576').KUBE_WATCH_CACHE_MAX_BYTES, 1024 * 1024);
    assert.equal(set('1073741824').KUBE_WATCH_CACHE_MAX_BYTES, 1024 * 1024 * 1024);
    for (const value of ['1048575', '1073741825', '64Mi']) {
      const err = configError(() => set(value));
      assert.equal(err.key, 'KUBE_WATCH_CACHE_MAX_BYTES', value);
      assert.match(err.message, /must be an integer >= 1048576 <= 1073741824/);
      assert.match(err.message, new RegExp(`\\(got "?${value}"?\\)`));
    }
  });

  it('requires KS_APISERVER_URL in kubesphere mode', () => {
    assert.equal(configError(() => load({ AUTH_MODE: 'kubesphere' })).key, 'KS_APISERVER_URL');
  });

  it('rejects a store URL of an unsupported database', () => {
    const err = configError(() => load({ AUTH_MODE: 'kubernetes', STORE_URL: 'mongodb://x' }));
    assert.equal(err.key, 'STORE_URL');
  });

  it('accepts only implemented features', () => {
    assert.equal(
      configError(() => load({ AUTH_MODE: 'kubernetes', FEATURES: 'gpu-quotas' })).key,
      'FEATURES',
    );
    assert.match(
      configError(() => load({ AUTH_MODE: 'kubernetes', FEATURES: 'gpu-quota' })).message,
      /does not implement/,
    );
    const config = load({ AUTH_MODE: 'kubernetes', FEATURES: 'gpu-quota, gpu-quota' }, [
      'gpu-quota',
      'ml-apps',
    ]);
    assert.deepEqual(config.features, ['gpu-quota']);
    assert.deepEqual(load({ AUTH_MODE: 'kubernetes' }, ['gpu-quota', 'ml-apps']).features, [
      'gpu-quota',
      'ml-apps',
    ]);
  });

  it('reads CONFIG_FILE, and the environment wins over it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-'));
    const file = join(dir, 'backend.yaml');
    writeFileSync(file, 'AUTH_MODE: kubernetes\nPORT: 7000\nLOG_LEVEL: debug\n');
    const config = load({ CONFIG_FILE: file, PORT: '7001' });
    assert.equal(config.AUTH_MODE, 'kubernetes');
    assert.equal(config.PORT, 7001);
    assert.equal(config.LOG_LEVEL, 'debug');
    writeFileSync(file, 'PORT: [1, 2]\n');
    assert.equal(configError(() => load({ CONFIG_FILE: file, AUTH_MODE: 'kubernetes' })).key, 'PORT');
    assert.equal(configError(() => load({ CONFIG_FILE: join(dir, 'missing.yaml') })).key, 'CONFIG_FILE');
  });

  it('file settings must name readable files; the TLS pair is set together', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-'));
    const file = join(dir, 'present');
    writeFileSync(file, 'x');
    const kube = { AUTH_MODE: 'kubernetes' };
    for (const key of ['KUBECONFIG', 'KS_TOKEN_FILE', 'TLS_CERT_FILE', 'TLS_KEY_FILE']) {
      const pair: Record<string, string> = key.startsWith('TLS_')
        ? { TLS_CERT_FILE: file, TLS_KEY_FILE: file }
        : {};
      const err = configError(() => load({ ...kube, ...pair, [key]: join(dir, 'missing') }));
      assert.equal(err.key, key);
      assert.match(err.message, /must name a readable file \(got ".*missing: ENOENT"\)/);
      assert.equal(
        configError(() => load({ ...kube, ...pair, [key]: dir })).key,
        key,
        'a folder is not a file',
      );
    }
    assert.equal(configError(() => load({ ...kube, TLS_CERT_FILE: file })).key, 'TLS_KEY_FILE');
    assert.equal(
      load({ ...kube, KUBECONFIG: file, TLS_CERT_FILE: file, TLS_KEY_FILE: file }).KUBECONFIG,
      file,
    );
  });

  it('plain HTTP only on loopback or with PLAIN_HTTP=true; TLS files whenever given', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-'));
    const file = join(dir, 'pem');
    writeFileSync(file, 'x');
    const kube = { AUTH_MODE: 'kubernetes' };
    assert.equal(listenerTls(load({ ...kube, HOST: '127.0.0.1' })), undefined);
    assert.equal(listenerTls(load({ ...kube, HOST: '::1' })), undefined);
    assert.equal(listenerTls(load({ ...kube, PLAIN_HTTP: 'true' })), undefined);
    const err = configError(() => listenerTls(load(kube)));
    assert.equal(err.key, 'TLS_CERT_FILE');
    assert.match(err.message, /required to listen on 0\.0\.0\.0.*PLAIN_HTTP=true/);
    assert.deepEqual(
      listenerTls(load({ ...kube, HOST: '127.0.0.1', TLS_CERT_FILE: file, TLS_KEY_FILE: file })),
      {
        certFile: file,
        keyFile: file,
      },
    );
  });

  it('stops the server process with the message (exit 78) before doing anything else', () => {
    const result = runServer({ AUTH_MODE: 'kubernetes', PORT: '-1' });
    assert.equal(result.status, 78, result.stderr);
    assert.match(result.stderr, /invalid configuration: PORT must be an integer >= 0/);
  });

  it('exits 78 naming GPU_QUOTA_ENFORCER for an enforcer it does not know', () => {
    const result = runServer({ AUTH_MODE: 'kubernetes', GPU_QUOTA_ENFORCER: 'yunikorn' });
    assert.equal(result.status, 78, result.stderr);
    assert.match(result.stderr, /invalid configuration: GPU_QUOTA_ENFORCER must be one of .*"yunikorn"/);
  });
});
