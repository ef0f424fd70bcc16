// What a workspace's projects hold of one workspace row, for the split editor's live "remaining" on rows the
// workspace has no quota for yet (saved rows come with the server's figures). The rule is the server's
// (backend workspace.ts): a row without a model holds every project row of the resource, a row with a model
// only the project rows of that model. Pure, so it is unit-tested.

interface Amounts {
  resource: string;
  model?: string | undefined;
  base: number;
  max: number;
}

export function heldByProjects(
  row: { resource: string; model?: string | undefined },
  projects: readonly { rows: readonly Amounts[] }[],
): { base: number; max: number } {
  let base = 0;
  let max = 0;
  for (const project of projects)
    for (const r of project.rows)
      if (r.resource === row.resource && (row.model === undefined || r.model === row.model)) {
        base += r.base;
        max += r.max;
      }
  return { base, max };
}
