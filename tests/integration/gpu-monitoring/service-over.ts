// The gpu-monitoring service (what the API routes call) over the sandbox's Prometheus, with a given label scheme
// and namespace → workspace map, so integration tests read the API's answers without an HTTP backend.
import type { MonitoringIo } from '../../../backend/src/features/gpu-monitoring/io.js';
import type { LabelScheme } from '../../../backend/src/features/gpu-monitoring/labels.js';
import { createGpuMonitoringService } from '../../../backend/src/features/gpu-monitoring/service.js';
import { createTranslator, loadCatalogues } from '../../../backend/src/core/i18n.js';
import { query } from './prometheus.js';

/** Queries at `at` (Unix seconds) when given, so two reads can be compared exactly. */
export function serviceOver(
  scheme: LabelScheme,
  workspaces: ReadonlyMap<string, string> = new Map(),
  at?: number,
) {
  const io: MonitoringIo = {
    instant: (promql) => query(promql, at),
    instantAt: (promql, time) => query(promql, time),
    range: () => Promise.reject(new Error('no range queries here')),
    scheme: async () => scheme,
    namespacesOfWorkspace: async (ws) => [...workspaces].filter(([, w]) => w === ws).map(([n]) => n),
    workspaces: async () => workspaces,
  };
  return createGpuMonitoringService({ io, translate: createTranslator(loadCatalogues()) });
}
