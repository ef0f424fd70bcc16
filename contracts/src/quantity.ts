// Kubernetes resource quantities ("8", "80Gi", "500m", "1e3") as plain numbers and back, for both sides:
// the backend reads node capacity and quota, the sandbox's simulator exports requests, the
// console's quantity input checks what a person types. GPU counts and MiB amounts stay far below
// 2^53, so a double is exact for every value we read. (client-node's own parser is not exported.)

export const BINARY_SUFFIXES: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

export const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = {
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

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** The numeric value of a quantity, or undefined when it is absent or not a valid quantity. */
export function parseQuantity(quantity: string | number | undefined | null): number | undefined {
  if (quantity === undefined || quantity === null) return undefined;
  if (typeof quantity === 'number') return Number.isFinite(quantity) ? quantity : undefined;
  const match = QUANTITY.exec(quantity.trim());
  if (!match) return undefined;
  const value = Number(match[1]);
  const suffix = match[2] ?? '';
  if (/^[eE]/.test(suffix)) return value * 10 ** Number(suffix.slice(1));
  const factor = BINARY_SUFFIXES[suffix] ?? DECIMAL_SUFFIXES[suffix];
  return factor === undefined ? undefined : value * factor;
}

/**
 * A count written back in canonical form: whole numbers bare, others in milli-units ("500m"), rounded to the
 * millesimal as Kubernetes does. The backend writes GPU amounts this way, the console CPU amounts.
 */
export function formatMilliQuantity(value: number): string {
  const milli = Math.round(value * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}
