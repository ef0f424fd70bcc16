// Kubernetes resource.Quantity strings ("8", "500m", "32Gi", "1e3") to numbers, for the ksm series.
import { parseQuantity as parse } from '@ks-gpu-ml/contracts';

/** Parses a quantity; returns NaN for text that is not one (the caller skips such series). */
export function parseQuantity(text: string): number {
  return parse(text) ?? Number.NaN;
}

/**
 * Quantity.Value() in Go rounds up to an integer; ksm uses it for everything but CPU, so a request of
 * "1.5" nvidia.com/gpu (rejected by the apiserver anyway) or "100m" memory reads as 2 / 1.
 */
export function quantityValue(text: string): number {
  return Math.ceil(parseQuantity(text));
}
