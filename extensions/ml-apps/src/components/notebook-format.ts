// How a notebook's figures read in the list. Pure.
import type { Notebook } from '@ks-gpu-ml/contracts';
import { humanQuantity } from '@ks-gpu-ml/ui';

export const gpusText = (nb: Notebook): string =>
  nb.gpus.length === 0
    ? '-'
    : nb.gpus.map((g) => `${g.count} × ${g.resource}${g.model ? ` (${g.model})` : ''}`).join(', ');

/** GPU-hours so far, to 1/100 of an hour; '-' when no GPU pod has run. */
export const gpuHoursText = (hours: number | undefined): string =>
  hours === undefined ? '-' : (Math.round(hours * 100) / 100).toString();

export const memoryText = (nb: Notebook): string => humanQuantity('memory', nb.memoryBytes);
export const cpuText = (nb: Notebook): string => humanQuantity('cpu', nb.cpu);

/** Age as the console's lists show it: the largest whole unit (45s, 12m, 5h, 3d). */
export function ageText(createdAt: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.floor((now - new Date(createdAt).getTime()) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3_600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3_600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}
