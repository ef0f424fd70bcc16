// `npm run sandbox -- down`: stop every process `up` started (by pid) and remove the sandbox's data.
import { rmSync } from 'node:fs';
import { layout } from './layout.js';
import { step } from './log.js';
import { isAlive, stopAll } from './processes.js';

export async function down(): Promise<void> {
  const stopped = await stopAll();
  const survivors = stopped.filter((p) => isAlive(p.pid));
  if (survivors.length > 0) {
    throw new Error(
      `still running after SIGKILL: ${survivors.map((p) => `${p.name} (${p.pid})`).join(', ')}`,
    );
  }
  rmSync(layout.root, { recursive: true, force: true });
  step(
    stopped.length
      ? `stopped ${stopped.map((p) => p.name).join(', ')}; removed ${layout.root}`
      : 'nothing was running',
  );
}
