// The node table, the GPU cards table and the idle-GPU list from their column queries (queries.ts: one query per
// column, joined here by node or by device). Pure. Figures with no series stay absent; counts default to 0.
import {
  GPU_FIGURES,
  GPU_HOT_CELSIUS,
  type GpuCard,
  type GpuCardQuery,
  type GpuFigureName,
  type GpuHolder,
  type GpuNodeRow,
  type IdleGpu,
} from '@ks-gpu-ml/contracts';
import { canonicalLabels, type LabelScheme } from './labels.js';
import { byName, deviceKey, deviceOf, valuesBy, type DeviceId, type Sample } from './samples.js';

/** Copies the figures present for `key` from the column maps. */
function figuresOf(columns: Partial<Record<GpuFigureName, Map<string, number>>>, key: string) {
  const out: Partial<Record<GpuFigureName, number>> = {};
  for (const f of GPU_FIGURES) {
    const v = columns[f]?.get(key);
    if (v !== undefined) out[f] = v;
  }
  return out;
}

// ---- nodes ------------------------------------------------------------------------------------------------

export type NodeColumns = Partial<Record<GpuFigureName, readonly Sample[]>> & {
  devices: readonly Sample[];
  allocated: readonly Sample[];
  idleAllocated: readonly Sample[];
  xidDevices: readonly Sample[];
};

export function assembleNodeRows(scheme: LabelScheme, columns: NodeColumns): GpuNodeRow[] {
  const nodeOf = (m: Record<string, string>) => m[scheme.hostLabel] ?? '';
  const figures = Object.fromEntries(
    GPU_FIGURES.filter((f) => columns[f]).map((f) => [f, valuesBy(columns[f]!, nodeOf)]),
  ) as Partial<Record<GpuFigureName, Map<string, number>>>;
  const counts = {
    devices: valuesBy(columns.devices, nodeOf),
    allocated: valuesBy(columns.allocated, nodeOf),
    idleAllocated: valuesBy(columns.idleAllocated, nodeOf),
    xidDevices: valuesBy(columns.xidDevices, nodeOf),
  };
  const nodes = new Set([...counts.devices.keys(), ...Object.values(figures).flatMap((m) => [...m.keys()])]);
  nodes.delete('');
  return [...nodes].sort(byName).map((node) => ({
    node,
    devices: counts.devices.get(node) ?? 0,
    ...figuresOf(figures, node),
    allocated: counts.allocated.get(node) ?? 0,
    idleAllocated: counts.idleAllocated.get(node) ?? 0,
    xidDevices: counts.xidDevices.get(node) ?? 0,
  }));
}

// ---- GPU cards --------------------------------------------------------------------------------------------

export type CardColumns = Partial<Record<GpuFigureName, readonly Sample[]>> & {
  /** Last XID code per device, with err_code / err_msg (only devices whose code is not 0). */
  xid: readonly Sample[];
  /** One sample per (device, holding container). */
  holders: readonly Sample[];
};

function holderOf(scheme: LabelScheme, metric: Record<string, string>): GpuHolder | undefined {
  const c = canonicalLabels(scheme, metric);
  if (!c.namespace || !c.pod) return undefined;
  return { namespace: c.namespace, pod: c.pod, ...(c.container ? { container: c.container } : {}) };
}

/** `xid` when the GPU reported an XID, else `hot` at or above GPU_HOT_CELSIUS, else `ok`. */
export function healthOf(card: Pick<GpuCard, 'xid' | 'temperatureC'>): GpuCard['health'] {
  if (card.xid) return 'xid';
  if (card.temperatureC !== undefined && card.temperatureC >= GPU_HOT_CELSIUS) return 'hot';
  return 'ok';
}

export function assembleGpuCards(scheme: LabelScheme, columns: CardColumns): GpuCard[] {
  const devices = new Map<string, DeviceId>();
  const keyOf = (m: Record<string, string>) => {
    const d = deviceOf(scheme, m);
    const key = deviceKey(d);
    if (!devices.has(key)) devices.set(key, d);
    return key;
  };
  const figures = Object.fromEntries(
    GPU_FIGURES.filter((f) => columns[f]).map((f) => [f, valuesBy(columns[f]!, keyOf)]),
  ) as Partial<Record<GpuFigureName, Map<string, number>>>;
  const holders = new Map<string, GpuHolder[]>();
  for (const s of columns.holders) {
    const holder = holderOf(scheme, s.metric);
    const key = keyOf(s.metric);
    if (holder) holders.set(key, [...(holders.get(key) ?? []), holder]);
  }
  const xids = new Map<string, { code: string; message: string }>();
  for (const s of columns.xid) {
    xids.set(keyOf(s.metric), { code: s.metric.err_code ?? '', message: s.metric.err_msg ?? '' });
  }
  const cards: GpuCard[] = [];
  for (const [key, device] of devices) {
    const xid = xids.get(key);
    const card: Omit<GpuCard, 'health'> = {
      ...device,
      devices: 1,
      ...figuresOf(figures, key),
      holders: (holders.get(key) ?? []).sort(
        (a, b) => byName(a.namespace, b.namespace) || byName(a.pod, b.pod),
      ),
      ...(xid ? { xid } : {}),
    };
    cards.push({ ...card, health: healthOf(card) });
  }
  return cards.sort(compareDevices);
}

export function compareDevices(a: DeviceId, b: DeviceId): number {
  return (
    byName(a.node, b.node) ||
    byName(a.gpu, b.gpu) ||
    byName(a.migInstance ?? '', b.migInstance ?? '') ||
    byName(a.uuid, b.uuid)
  );
}

/** Filters, sorts and pages the cards in Node: the table's columns come from separate queries. */
export function selectCards(
  cards: readonly GpuCard[],
  query: Pick<GpuCardQuery, 'held' | 'health' | 'sortBy' | 'order' | 'limit' | 'offset'>,
): { total: number; items: GpuCard[] } {
  const matching = cards.filter(
    (c) =>
      (query.held === undefined || c.holders.length > 0 === query.held) &&
      (query.health === undefined || c.health === query.health),
  );
  const sortBy = query.sortBy ?? 'node';
  const sign = query.order === 'desc' ? -1 : 1;
  const sorted =
    sortBy === 'node'
      ? [...matching].sort((a, b) => sign * compareDevices(a, b))
      : [...matching].sort((a, b) => {
          const x = a[sortBy];
          const y = b[sortBy];
          // Cards without the figure go last in either order: "unknown" is neither high nor low.
          if (x === undefined || y === undefined)
            return x === y ? compareDevices(a, b) : x === undefined ? 1 : -1;
          return sign * (x - y) || compareDevices(a, b);
        });
  const offset = query.offset ?? 0;
  const limit = query.limit ?? 100;
  return { total: matching.length, items: sorted.slice(offset, offset + limit) };
}

// ---- idle GPUs --------------------------------------------------------------------------------------------

/** Rows of idleAllocatedQuery(): each idle GPU with its holder, and the holder's workspace when known. */
export function assembleIdleGpus(
  scheme: LabelScheme,
  samples: readonly Sample[],
  workspaceOf: ReadonlyMap<string, string>,
): IdleGpu[] {
  const rows: IdleGpu[] = [];
  for (const s of samples) {
    const holder = holderOf(scheme, s.metric);
    if (!holder) continue;
    const workspace = workspaceOf.get(holder.namespace);
    rows.push({ ...deviceOf(scheme, s.metric), ...holder, ...(workspace ? { workspace } : {}) });
  }
  return rows.sort(
    (a, b) => byName(a.namespace, b.namespace) || byName(a.pod, b.pod) || compareDevices(a, b),
  );
}
