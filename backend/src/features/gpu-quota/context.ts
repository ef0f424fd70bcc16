// What every part of the gpu-quota service works with, built once by service.ts: the cluster, the resource
// table, how findings become answers, who may do what, the catalogue and enforcer as they are now, where
// workspace quotas and holdings are read, and the one lock every write takes.
import type { Language } from '../../core/i18n.js';
import type { Identity } from '../../core/identity.js';
import type { Answers } from './answers.js';
import type { Authority, AuthorityCaller } from './authority.js';
import type { GpuCatalogue } from './catalogue.js';
import type { HoldingsReader } from './holdings-now.js';
import type { GpuQuotaKube } from './kube-io.js';
import type { ResourceTable } from './resources.js';
import type { EnforcerChoice } from './scheduler.js';
import type { WorkspaceStore } from './workspace-store.js';
import type { QuotaWriteLock } from './write-lock.js';

/** The caller, as the routes pass it: who, with which token, in which language. */
export interface Caller {
  user: Identity;
  token: string;
  lang: Language;
}

export interface QuotaContext {
  kube: GpuQuotaKube;
  table: ResourceTable;
  answers: Answers;
  /** The caller's authority over the quotas of a workspace (authority.ts). */
  authority(caller: AuthorityCaller, workspace: string | undefined): Promise<Authority>;
  catalogue(): Promise<GpuCatalogue>;
  enforcer(): Promise<EnforcerChoice>;
  workspaces: WorkspaceStore;
  holdings: HoldingsReader;
  writeLock: QuotaWriteLock;
  /** GPU_QUOTA_MAX_AMOUNT: the largest base or max of one row (the domain's default when unset). */
  maxAmount?: number;
}
