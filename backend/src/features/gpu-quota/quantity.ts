// GPU quantities for the quota model: parsing and the canonical form are contracts' (shared with the console and
// the sandbox); reading a map of them is the quota model's own.
import { formatMilliQuantity, parseQuantity } from '@ks-gpu-ml/contracts';

/** How we write a quantity: GPU amounts are integers, written without a suffix so every reader agrees. */
export { formatMilliQuantity as formatQuantity, parseQuantity };

export function parseQuantities(map: Record<string, string | number> | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, raw] of Object.entries(map ?? {})) {
    const value = parseQuantity(raw);
    if (value !== undefined) out.set(key, value);
  }
  return out;
}
