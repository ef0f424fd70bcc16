// `npm run sandbox -- status`: what runs where.
import { layout } from './layout.js';
import { isAlive, readState } from './processes.js';

export function status(): { up: boolean; lines: string[] } {
  const state = readState();
  if (!state) return { up: false, lines: ['sandbox is down'] };
  const lines = state.processes.map((p) => {
    const alive = isAlive(p.pid);
    return `${alive ? 'running' : 'DEAD   '}  ${p.name.padEnd(24)} pid ${String(p.pid).padEnd(8)} ${p.url ?? ''}`;
  });
  lines.push(`env: ${layout.env}`, `logs: ${layout.logs}`);
  return { up: state.processes.every((p) => isAlive(p.pid)), lines };
}
