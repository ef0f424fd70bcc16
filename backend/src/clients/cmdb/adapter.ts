/**
 * The port every CMDB adapter implements (BlueKing CMDB, NetBox, a generic HTTP/JSON CMDB), and what they answer:
 * a business system with importance and contacts, and `rule` naming the record it came from (the enrichment's
 * provenance). Adapters are I/O: each call has the caller's deadline (signal); a failure is a CmdbFailure whose key
 * (CMDB_*) a receiver may read — never the CMDB's raw answer, never a credential.
 */

export interface CmdbContact {
  name: string;
  role?: string;
  /** Lower first: the escalation order (NetBox primary 1, secondary 2, tertiary 3). */
  priority?: number;
  wecomUserId?: string;
  mobile?: string;
  email?: string;
}

export interface CmdbRecord {
  id: string;
  name: string;
  importance?: string;
  owners: CmdbContact[];
  rule: string;
}

export type CmdbKind = 'bk-cmdb' | 'netbox' | 'generic';

export interface CmdbAdapter {
  readonly kind: CmdbKind;
  /** The business owning the namespace (BK-CMDB's kube namespace model, a NetBox tenant's custom field…). */
  forNamespace(
    query: { cluster?: string; namespace: string },
    signal: AbortSignal,
  ): Promise<CmdbRecord | undefined>;
  /** The record of a business system by name. */
  business(name: string, signal: AbortSignal): Promise<CmdbRecord | undefined>;
}

export type CmdbFailureKey =
  'CMDB_UNREACHABLE' | 'CMDB_SERVER_ERROR' | 'CMDB_UNAUTHORIZED' | 'CMDB_MALFORMED' | 'CMDB_REFUSED';

/** A CMDB call failed; `key` is a message key (en and zh in locales), `detail` a short reason for logs only. */
export class CmdbFailure extends Error {
  constructor(
    readonly key: CmdbFailureKey,
    readonly detail: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${key}: ${detail}`);
  }
}

/** The answer a malformed document gets: the first thing that was not as documented. */
export const malformed = (what: string): CmdbFailure => new CmdbFailure('CMDB_MALFORMED', what);

/** The CMDB answered but refused (its own error code): the code is the message's parameter, shown to operators. */
export const refused = (code: string | number): CmdbFailure =>
  new CmdbFailure('CMDB_REFUSED', `code ${code}`, { code });

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
