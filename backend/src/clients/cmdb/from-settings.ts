import type { CmdbSettingsInput } from '@ks-gpu-ml/contracts';
import type { CmdbAdapter } from './adapter.js';
import { createBkCmdbAdapter } from './bkcmdb.js';
import { createGenericCmdbAdapter } from './generic.js';
import type { AnswerHook } from './http.js';
import { createNetboxAdapter } from './netbox.js';

/**
 * The adapter a platform admin's CMDB settings describe (contract CmdbSettingsInput, checked by the feature before
 * it gets here). `secret` gives the credential's value when a request is made — read from the Secret the settings
 * reference, so a rotated Secret is used without rebuilding the adapter.
 */
export function adapterFromSettings(
  settings: CmdbSettingsInput,
  secret: () => string | undefined,
  options: { onAnswer?: AnswerHook; indexDeadlineMs?: number } = {},
): CmdbAdapter {
  const hook = options.onAnswer ? { onAnswer: options.onAnswer } : {};
  if (settings.kind === 'bk-cmdb') {
    return createBkCmdbAdapter({
      baseUrl: settings.url ?? '',
      appCode: settings.appCode ?? '',
      appSecret: secret,
      username: settings.username ?? '',
      ...(settings.importanceField ? { importanceField: settings.importanceField } : {}),
      ...(settings.clusterUid ? { clusterUid: settings.clusterUid } : {}),
      ...(options.indexDeadlineMs ? { indexDeadlineMs: options.indexDeadlineMs } : {}),
      ...hook,
    });
  }
  if (settings.kind === 'netbox') {
    return createNetboxAdapter({
      baseUrl: settings.url ?? '',
      token: secret,
      ...(settings.importanceField ? { importanceField: settings.importanceField } : {}),
      ...(settings.namespaceField ? { namespaceField: settings.namespaceField } : {}),
      ...(settings.wecomField ? { wecomField: settings.wecomField } : {}),
      ...hook,
    });
  }
  const g = settings.generic!;
  return createGenericCmdbAdapter({
    namespaceUrl: g.namespaceUrl,
    businessUrl: g.businessUrl,
    headers: () => {
      const value = secret();
      return g.header && value ? { [g.header.toLowerCase()]: `${g.headerPrefix ?? ''}${value}` } : {};
    },
    mapping: {
      items: g.items,
      name: g.name,
      ...(g.importance ? { importance: g.importance } : {}),
      ...(g.owners ? { owners: g.owners } : {}),
      ...(g.owner ? { owner: g.owner } : {}),
      ...(g.code ? { code: g.code } : {}),
    },
    ...hook,
  });
}
