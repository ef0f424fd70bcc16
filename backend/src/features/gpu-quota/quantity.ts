// Kubernetes resource quantities ("8", "80Gi", "500m", "1e3") as plain numbers. GPU quantities are small
// integers or MiB amounts, far below 2^53, so a double is exact for every value we read; client-node's own
// quantityToScalar is not exported from its package entry point.

const binarySuffixes: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const decimalSuffixes: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

const quantityPattern = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** The numeric value of a quantity, or undefined when it is absent or not a valid quantity. */
export function parseQuantity(quantity: string | number | undefined | null): number | undefined {
  if (quantity === undefined || quantity === null) return undefined;
  if (typeof quantity === 'number') return Number.isFinite(quantity) ? quantity : undefined;
  const match = quantityPattern.exec(quantity.trim());
  if (!match) return undefined;
  const value = Number(match[1]);
  const suffix = match[2] ?? '';
  if (/^[eE]/.test(suffix)) return value * 10 ** Number(suffix.slice(1));
  const factor = binarySuffixes[suffix] ?? decimalSuffixes[suffix];
  return factor === undefined ? undefined : value * factor;
}

/** A quantity map (spec.hard, status.allocatable, …) read into numbers; invalid entries are left out. */
export function parseQuantities(map: Record<string, string | number> | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, raw] of Object.entries(map ?? {})) {
    const value = parseQuantity(raw);
    if (value !== undefined) out.set(key, value);
  }
  return out;
}

/** How we write a quantity: GPU amounts are integers, written without a suffix so every reader agrees. */
export function formatQuantity(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000)) + 'm';
}
