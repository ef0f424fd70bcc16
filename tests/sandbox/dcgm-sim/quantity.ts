// Kubernetes resource.Quantity strings ("8", "500m", "32Gi", "1e3") to numbers, for the ksm series.

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

/** Parses a quantity; returns NaN for text that is not one (the caller skips such series). */
export function parseQuantity(text: string): number {
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/.exec(
    text.trim(),
  );
  if (!match) return Number.NaN;
  const base = Number(match[1]);
  if (match[2] !== undefined) return base * 10 ** Number(match[2].slice(1));
  const suffix = match[3] ?? '';
  return base * (binarySuffixes[suffix] ?? decimalSuffixes[suffix] ?? Number.NaN);
}

/**
 * Quantity.Value() in Go rounds up to an integer; ksm uses it for everything but CPU, so a request of
 * "1.5" nvidia.com/gpu (rejected by the apiserver anyway) or "100m" memory reads as 2 / 1.
 */
export function quantityValue(text: string): number {
  return Math.ceil(parseQuantity(text));
}
