// The gpu-quota feature's port to kube-apiserver: the interface and its implementation live in
// clients/gpu-quota-kube.ts (I/O only in clients/); this module hands it the feature's own facts.
import type { KubeClient } from '../../clients/kube.js';
import { createGpuQuotaKube as createClient, type GpuQuotaKube } from '../../clients/gpu-quota-kube.js';
import type { WorkspaceMembership } from '../../clients/workspace-membership.js';
import { PROJECT_RECORD_SELECTOR } from './holdings.js';
import {
  COMPONENT_LABEL,
  COMPONENT_VALUE,
  GPU_QUOTA_ANNOTATION,
  GPU_QUOTA_FIELD_MANAGER,
  madeByUs,
} from './resourcequota.js';

export type {
  ClusterSnapshot,
  GpuQuotaKube,
  ObjectRef,
  RemoveOutcome,
  WriteGeneration,
} from '../../clients/gpu-quota-kube.js';

export const createGpuQuotaKube = (
  kube: KubeClient,
  membership: WorkspaceMembership,
  options: { watchCacheMaxBytes: number; onError?: (err: unknown) => void },
): GpuQuotaKube =>
  createClient(
    kube,
    membership,
    {
      fieldManager: GPU_QUOTA_FIELD_MANAGER,
      componentLabels: { [COMPONENT_LABEL]: COMPONENT_VALUE },
      recordSelector: PROJECT_RECORD_SELECTOR,
      madeByUs,
      quotaAnnotations: [GPU_QUOTA_ANNOTATION],
    },
    options,
  );
