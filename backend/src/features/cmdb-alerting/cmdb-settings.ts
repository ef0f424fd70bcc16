import type {
  CmdbConnectionTest,
  CmdbConnectionTestInput,
  CmdbSettings,
  CmdbSettingsInput,
  SecretRef,
} from '@ks-gpu-ml/contracts';
import { createCachedCmdb, type CachedCmdb } from '../../clients/cmdb/cached.js';
import { adapterFromSettings } from '../../clients/cmdb/from-settings.js';
import { probeCmdb } from '../../clients/cmdb/probe.js';
import { SecretForbidden, type SecretReader } from '../../clients/kube-secrets.js';
import type { ConfigStore } from '../../clients/store/alert-config.js';
import { invalidField } from '../../core/errors.js';
import type { FieldIssue } from './receivers.js';

/**
 * The cluster's CMDB connection (docs/adr/0043): one row of the backend store (owner '', name `cmdb`) holding the
 * validated settings with a Secret reference, never a credential. `test` asks the CMDB with settings not yet saved
 * and shows what it answered; `live()` is the cached CMDB the enrichment asks, rebuilt when the settings change and
 * re-read (settings and Secret) every `refreshMs`, so every replica follows a change within that time.
 */

export const CMDB_SETTINGS_ROW = 'cmdb';
/** Test connection never waits longer than this, whatever the settings say. */
export const TEST_DEADLINE_CAP_MS = 10_000;

/** What the schema cannot say: which fields each kind needs, and how the generic URLs must look. */
export function cmdbSettingsIssues(input: CmdbSettingsInput): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const need = (field: keyof CmdbSettingsInput, why: string) => {
    if (input[field] === undefined || input[field] === '')
      issues.push({ field: `body.${field}`, problem: why });
  };
  if (input.kind === 'bk-cmdb') {
    need('url', 'is required for BlueKing CMDB (the API gateway stage URL)');
    need('appCode', 'is required for BlueKing CMDB (bk_app_code)');
    need('username', 'is required for BlueKing CMDB (bk_username)');
    need('secretRef', 'is required for BlueKing CMDB (the Secret key holding bk_app_secret)');
  } else if (input.kind === 'netbox') {
    need('url', 'is required for NetBox (its base URL)');
    need('secretRef', 'is required for NetBox (the Secret key holding the API token)');
  } else if (!input.generic) {
    issues.push({
      field: 'body.generic',
      problem: 'is required for a generic CMDB (URLs and field mapping)',
    });
  } else {
    if (!input.generic.namespaceUrl.includes('{namespace}'))
      issues.push({ field: 'body.generic.namespaceUrl', problem: 'must contain {namespace}' });
    if (!input.generic.businessUrl.includes('{name}'))
      issues.push({ field: 'body.generic.businessUrl', problem: 'must contain {name}' });
    if (input.generic.header && !input.secretRef)
      issues.push({ field: 'body.secretRef', problem: 'is required when a header carries a credential' });
  }
  if (input.kind !== 'generic' && input.generic)
    issues.push({ field: 'body.generic', problem: `is only for kind generic, not ${input.kind}` });
  if (input.lastKnownSeconds !== undefined && input.lastKnownSeconds < input.ttlSeconds)
    issues.push({ field: 'body.lastKnownSeconds', problem: 'must be at least ttlSeconds' });
  return issues;
}

export interface CmdbSettingsDeps {
  store: ConfigStore<CmdbSettingsInput>;
  secrets: SecretReader;
  /** How often `live()` re-reads the row and its Secret (default 15 s). */
  refreshMs?: number;
  cacheBytes?: number;
  onFailure?: (key: string, detail: string) => void;
  now?: () => number;
}

type SecretValue = { value: string } | { error: { key: string; detail: string } };

async function readSecret(secrets: SecretReader, ref: SecretRef | undefined): Promise<SecretValue> {
  if (!ref) return { value: '' };
  const where = `${ref.namespace}/${ref.name}`;
  try {
    const secret = await secrets.read(ref.namespace, ref.name);
    const value = secret?.data.get(ref.key);
    if (value === undefined)
      return {
        error: { key: 'CMDB_SECRET_MISSING', detail: `Secret ${where} or its key ${ref.key} is missing` },
      };
    return { value: value.trim() };
  } catch (err) {
    return {
      error: {
        key: 'CMDB_SECRET_UNREADABLE',
        detail:
          err instanceof SecretForbidden
            ? `the backend may not read Secret ${where}`
            : `Secret ${where} could not be read`,
      },
    };
  }
}

const shown = (row: { spec: CmdbSettingsInput; updatedAt: number } | undefined): CmdbSettings =>
  row
    ? { configured: true, settings: row.spec, updatedAt: new Date(row.updatedAt).toISOString() }
    : { configured: false };

export function createCmdbSettingsService(deps: CmdbSettingsDeps) {
  const now = deps.now ?? Date.now;
  const refreshMs = deps.refreshMs ?? 15_000;
  let current: { json: string; cmdb: CachedCmdb; secret: { value: string } } | undefined;
  let checkedAt = -Infinity;
  let refreshing: Promise<void> | undefined;

  async function refresh(): Promise<void> {
    checkedAt = now();
    const row = await deps.store.get('', CMDB_SETTINGS_ROW);
    if (!row || !row.spec.enabled) {
      current = undefined;
      return;
    }
    const secret = await readSecret(deps.secrets, row.spec.secretRef);
    const json = JSON.stringify(row.spec);
    if ('error' in secret) {
      deps.onFailure?.(secret.error.key, secret.error.detail);
      // Keep the adapter it had (its last credential): a Secret briefly unreadable is no reason to stop asking.
      if (current?.json === json) return;
    }
    const value = 'value' in secret ? secret.value : '';
    if (current?.json === json) {
      current.secret.value = value;
      return;
    }
    const holder = { value };
    const settings = row.spec;
    current = {
      json,
      secret: holder,
      cmdb: createCachedCmdb(
        adapterFromSettings(settings, () => holder.value),
        {
          ttlMs: settings.ttlSeconds * 1000,
          lastKnownMs: (settings.lastKnownSeconds ?? Math.max(3600, settings.ttlSeconds)) * 1000,
          maxBytes: deps.cacheBytes ?? 16 * 1024 * 1024,
          deadlineMs: settings.timeoutMs,
          ...(deps.onFailure ? { onFailure: deps.onFailure } : {}),
        },
      ),
    };
  }

  return {
    async get(): Promise<CmdbSettings> {
      return shown(await deps.store.get('', CMDB_SETTINGS_ROW));
    },

    async put(input: CmdbSettingsInput): Promise<CmdbSettings> {
      const [first] = cmdbSettingsIssues(input);
      if (first) throw invalidField(first.field, first.problem);
      const at = now();
      if (!(await deps.store.update('', CMDB_SETTINGS_ROW, input, at)))
        if (!(await deps.store.create('', CMDB_SETTINGS_ROW, input, at)))
          await deps.store.update('', CMDB_SETTINGS_ROW, input, at);
      await refresh();
      return shown({ spec: input, updatedAt: at });
    },

    /** Asks the CMDB once with `input.settings` (saved or not), under their deadline capped at 10 s. */
    async test(input: CmdbConnectionTestInput): Promise<CmdbConnectionTest> {
      const [first] = cmdbSettingsIssues(input.settings).map((i) => ({
        ...i,
        field: i.field.replace(/^body\./, 'body.settings.'),
      }));
      if (first) throw invalidField(first.field, first.problem);
      const query = input.system ? { system: input.system } : { namespace: input.namespace ?? 'default' };
      const described = 'system' in query ? `system ${query.system}` : `namespace ${query.namespace}`;
      const secret = await readSecret(deps.secrets, input.settings.secretRef);
      if ('error' in secret) return { ok: false, latencyMs: 0, query: described, error: secret.error };
      let last: { status: number; excerpt: string } | undefined;
      const deadlineMs = Math.min(input.settings.timeoutMs, TEST_DEADLINE_CAP_MS);
      const adapter = adapterFromSettings(input.settings, () => secret.value, {
        onAnswer: (a) => (last = a),
        indexDeadlineMs: deadlineMs,
      });
      const result = await probeCmdb(adapter, query, deadlineMs);
      const record = result.record;
      return {
        ok: result.ok,
        latencyMs: result.latencyMs,
        query: described,
        ...(last ? { status: last.status } : {}),
        ...(record
          ? {
              sample: {
                name: record.name,
                ...(record.importance ? { importance: record.importance } : {}),
                owners: record.owners.slice(0, 20).map((o) => ({
                  name: o.name,
                  ...(o.role ? { role: o.role } : {}),
                  ...(o.wecomUserId ? { wecomUserId: o.wecomUserId } : {}),
                  ...(o.email ? { email: o.email } : {}),
                  ...(o.mobile ? { mobile: o.mobile } : {}),
                })),
                rule: record.rule,
              },
            }
          : {}),
        ...(result.error ? { error: { ...result.error, ...(last ? { answer: last.excerpt } : {}) } } : {}),
      };
    },

    /** The CMDB the enrichment asks now (undefined: none configured or switched off); refreshes in the background. */
    live(): CachedCmdb | undefined {
      if (!refreshing && now() - checkedAt >= refreshMs) {
        refreshing = refresh()
          .catch((err: unknown) =>
            deps.onFailure?.(
              'CMDB_SETTINGS_UNREADABLE',
              String((err as Error)?.message ?? err).slice(0, 200),
            ),
          )
          .finally(() => (refreshing = undefined));
      }
      return current?.cmdb;
    },

    /** Reads the settings now (at start, and in tests). */
    refresh,
  };
}

export type CmdbSettingsService = ReturnType<typeof createCmdbSettingsService>;
