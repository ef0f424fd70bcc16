// The node table, the GPU cards table and the idle-GPU list from their column queries (queries.ts: one query per
// column, joined here by node or by device). Pure. Figures with no series stay absent; counts default to 0.
import {
  GPU_CARDS_PER_PAGE,
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
import {
  byName,
  deviceKey,
  deviceKeyOf,
  deviceOf,
  valueOf,
  valuesBy,
  type DeviceId,
  type Sample,
} from './samples.js';

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

/** gpuTableQueries()' answers; a column not asked (a page's first read asks only some) is absent. */
export type CardColumns = Partial<
  Record<GpuFigureName, readonly Sample[]> & {
    /** Last XID code per device, with err_code / err_msg (only devices whose code is not 0). */
    xid: readonly Sample[];
    /** One sample per (device, holding container). */
    holders: readonly Sample[];
  }
>;

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

/** Finds (or makes) the card a sample's device belongs to; undefined leaves the sample out. */
type CardFinder = (metric: Record<string, string>) => GpuCard | undefined;

/** Writes each column's samples into the cards `cardOf` finds: figures, holders and the last XID. */
function fillCards(scheme: LabelScheme, columns: CardColumns, cardOf: CardFinder): void {
  for (const figure of GPU_FIGURES) {
    for (const sample of columns[figure] ?? []) {
      const card = cardOf(sample.metric);
      const value = valueOf(sample);
      if (card && value !== undefined) card[figure] = value;
    }
  }
  for (const sample of columns.holders ?? []) {
    const holder = holderOf(scheme, sample.metric);
    const card = cardOf(sample.metric);
    if (card && holder) card.holders.push(holder);
  }
  for (const sample of columns.xid ?? []) {
    const card = cardOf(sample.metric);
    if (card) card.xid = { code: sample.metric.err_code ?? '', message: sample.metric.err_msg ?? '' };
  }
}

/** Holders in name order, and health from what the cards now hold. */
function finishCards(cards: readonly GpuCard[]): void {
  for (const card of cards) {
    if (card.holders.length > 1)
      card.holders.sort((a, b) => byName(a.namespace, b.namespace) || byName(a.pod, b.pod));
    card.health = healthOf(card);
  }
}

/**
 * One card per device seen in any column, filled column by column. Written as one pass over the samples into
 * one object per card (no per-column maps, no spreads): at 8,000 GPUs × 8 columns this assembly was most of
 * the API's time above Prometheus' own (bench gpu-monitoring, table_ratio).
 */
export function assembleGpuCards(scheme: LabelScheme, columns: CardColumns): GpuCard[] {
  const cards = new Map<string, GpuCard>();
  fillCards(scheme, columns, (metric) => {
    const key = deviceKeyOf(scheme, metric);
    let card = cards.get(key);
    if (!card) {
      // Added to the new object, not spread into a literal: spreading cost ~5 µs a card.
      card = Object.assign(deviceOf(scheme, metric), {
        devices: 1,
        holders: [] as GpuHolder[],
        health: 'ok' as const,
      });
      cards.set(key, card);
    }
    return card;
  });
  const out = [...cards.values()];
  finishCards(out);
  return out.sort(compareDevices);
}

export function compareDevices(a: DeviceId, b: DeviceId): number {
  return (
    byName(a.node, b.node) ||
    byName(a.gpu, b.gpu) ||
    byName(a.migInstance ?? '', b.migInstance ?? '') ||
    byName(a.uuid, b.uuid)
  );
}

/**
 * Filters, sorts and pages the cards in Node: the table's columns come from separate queries. `cards` come in
 * compareDevices order, as assembleGpuCards returns them, so the default sort by node needs no second sort.
 */
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
      ? sign === 1
        ? matching
        : [...matching].reverse()
      : [...matching].sort((a, b) => {
          const x = a[sortBy];
          const y = b[sortBy];
          // Cards without the figure go last in either order: "unknown" is neither high nor low.
          if (x === undefined || y === undefined)
            return x === y ? compareDevices(a, b) : x === undefined ? 1 : -1;
          return sign * (x - y) || compareDevices(a, b);
        });
  const offset = query.offset ?? 0;
  const limit = query.limit ?? GPU_CARDS_PER_PAGE;
  return { total: matching.length, items: sorted.slice(offset, offset + limit) };
}

/**
 * Completes a page in place: `page` was chosen from the cards of the first read's columns (selectCards), and
 * `rest` holds the other columns, asked for the page's GPUs only. Samples of GPUs off the page (the other MIG
 * instances of a page GPU share its UUID) are left out; the cards keep the page's order.
 */
export function completePage(scheme: LabelScheme, page: GpuCard[], rest: CardColumns): GpuCard[] {
  const onPage = new Map(page.map((card) => [deviceKey(card), card]));
  fillCards(scheme, rest, (metric) => onPage.get(deviceKeyOf(scheme, metric)));
  finishCards(page);
  return page;
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
