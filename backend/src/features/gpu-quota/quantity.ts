// GPU quantities for the quota model: parsing is shared with the console and the sandbox
// (contracts); writing back in canonical form and reading maps is the quota model's own.
import { parseQuantity } from '@ks-gpu-ml/contracts';

export { parseQuantity };

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
