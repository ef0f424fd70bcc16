// What a test file made in the shared sandbox (namespaces, quotas, policies, a second backend), undone after its
// tests: newest first, since later things may rest on earlier ones, and a failed undo does not stop the others,
// so one leftover never leaves the rest behind.
import { after } from 'node:test';

export type Undo = () => Promise<unknown>;

/** A list to push undos onto as things are made; they run in an after() hook registered now. */
export function undoAfterTests(): Undo[] {
  const undos: Undo[] = [];
  after(async () => {
    for (const undo of undos.reverse()) await undo().catch(() => undefined);
  });
  return undos;
}
