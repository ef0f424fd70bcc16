// What every project holds, read fresh from the apiserver for a write or a page (holdings.ts decides how the
// records and the ResourceQuotas combine): the cluster view reads the same from its watch caches instead.
import type { GpuQuotaKube } from './kube-io.js';
import { allHoldings, decodeRecords, PROJECT_RECORD_SELECTOR, type Holding } from './holdings.js';
import type { FieldProblem } from './problems.js';
import { forgetDeletedProject } from './project-queues.js';
import type { ResourceTable } from './resources.js';
import type { ProjectRows } from './workspace.js';

export interface HoldingsReader {
  /**
   * Every project's holding. With `collect` (only under the write lock) what a deleted project left behind
   * is removed too.
   */
  all(options?: { collect?: boolean }): Promise<Map<string, Holding>>;
  /** Every project of the workspace with the rows it holds, and the mismatches found on the way. */
  ofWorkspace(
    workspace: string,
    holdings?: ReadonlyMap<string, Holding>,
  ): Promise<{ projects: ProjectRows[]; mismatch: FieldProblem[] }>;
}

export function holdingsReader(kube: GpuQuotaKube, table: ResourceTable): HoldingsReader {
  async function all(options: { collect?: boolean } = {}): Promise<Map<string, Holding>> {
    const [records, quotas] = await Promise.all([
      kube.ownConfigMaps(PROJECT_RECORD_SELECTOR),
      kube.ownQuotas(),
    ]);
    const recorded = decodeRecords(records);
    // A record without a ResourceQuota: tampered with (held), or its project was deleted (holds nothing).
    const withQuota = new Set(quotas.map((q) => q.metadata?.namespace));
    for (const namespace of [...recorded.keys()].filter((ns) => !withQuota.has(ns))) {
      if (await kube.namespace(namespace)) continue;
      recorded.delete(namespace);
      if (options.collect) await forgetDeletedProject(kube, namespace);
    }
    return allHoldings(recorded, quotas, table);
  }

  return {
    all,
    async ofWorkspace(workspace, holdings) {
      const [names, held] = await Promise.all([kube.namespacesOfWorkspace(workspace), holdings ?? all()]);
      return {
        projects: names.map((namespace) => ({ namespace, rows: held.get(namespace)?.rows ?? [] })),
        mismatch: names.flatMap((namespace) => held.get(namespace)?.mismatch ?? []),
      };
    },
  };
}
