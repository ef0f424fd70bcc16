import type { CachedCmdb } from '../../clients/cmdb/cached.js';
import type { KubeOwners } from '../../clients/cmdb/kube-owners.js';
import {
  resolveBusiness,
  type BusinessEnrichment,
  type BusinessLookupPort,
  type BusinessMappingConfig,
  type ImpactTranslate,
} from './business-resolve.js';

/**
 * The business mapping wired to its sources: the owner chain and namespaces from kube-apiserver, the CMDB (when
 * one is configured) behind its cache. One call per alert; it never throws (a source that fails is a step of the
 * chain saying so), so enrichment can never keep an alert from its receivers.
 */
export interface EnricherDeps {
  owners: KubeOwners;
  /** The CMDB, or how to get the one configured now (its settings can change while the backend runs). */
  cmdb?: CachedCmdb | (() => CachedCmdb | undefined);
  config: BusinessMappingConfig;
  translate: ImpactTranslate;
}

export type Enrich = (labels: Readonly<Record<string, string>>) => Promise<BusinessEnrichment>;

export function businessPort(deps: Pick<EnricherDeps, 'owners' | 'cmdb'>): BusinessLookupPort {
  const { owners } = deps;
  const cmdb = typeof deps.cmdb === 'function' ? deps.cmdb() : deps.cmdb;
  return {
    ownerChain: (ref) => owners.ownerChain(ref),
    namespace: (name) => owners.namespace(name),
    ...(cmdb
      ? {
          cmdbForNamespace: (query) => cmdb.forNamespace(query),
          cmdbBusiness: (name) => cmdb.business(name),
        }
      : {}),
  };
}

export function createEnricher(deps: EnricherDeps): Enrich {
  if (typeof deps.cmdb !== 'function') {
    const port = businessPort(deps);
    return (labels) => resolveBusiness(labels, port, deps.config, deps.translate);
  }
  return (labels) => resolveBusiness(labels, businessPort(deps), deps.config, deps.translate);
}

/** What a message needs of an enrichment (the contract's AlertBusiness, as the escalation keeps it). */
export interface BusinessMessage {
  owners: { value: readonly { name: string; wecomUserId?: string }[] };
  impact: { en: string; zh: string };
}

/**
 * The lines a notification gains: the impact sentence in the receiver's language and the owners — WeCom
 * markdown's `<@userid>` mentions where a WeCom id is known, plain names in text.
 */
export function businessLines(
  business: BusinessMessage,
  language: 'en' | 'zh',
  flavour: 'markdown' | 'text' = 'text',
): string[] {
  const owners = business.owners.value
    .slice(0, 10)
    .map((o) =>
      flavour === 'markdown' && o.wecomUserId ? `<@${o.wecomUserId}>` : (o.wecomUserId ?? o.name),
    );
  return [business.impact[language], ...(owners.length ? [`@ ${owners.join(' ')}`] : [])];
}
