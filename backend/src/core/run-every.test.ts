import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';
import { runEvery } from './run-every.js';

/** Waits until `done()` holds, up to two seconds (the runs here are 5 ms apart). */
async function until(what: string, done: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !done(); i++) await sleep(5);
  assert.ok(done(), `still waiting for ${what}`);
}

describe('runEvery', () => {
  it('runs only once the server is ready, one run at a time, and keeps going after a failed run', async () => {
    const app = Fastify();
    const failures: unknown[] = [];
    let runs = 0;
    let running = 0;
    let overlapped = false;
    runEvery(
      app,
      5,
      async () => {
        runs++;
        overlapped ||= running > 0;
        running++;
        await sleep(15); // longer than the period: the next run must wait for this one
        running--;
        if (runs === 1) throw new Error('upstream down');
      },
      (err) => failures.push(err),
    );
    await sleep(30);
    assert.equal(runs, 0, 'no run before the server is ready');
    await app.ready();
    await until('three runs', () => runs >= 3);
    assert.equal(overlapped, false);
    assert.deepEqual(
      failures.map((e) => (e as Error).message),
      ['upstream down'],
    );
    await app.close();
  });

  it('runs no more once the server closes, even when a run was under way', async () => {
    const app = Fastify();
    let runs = 0;
    let finished = 0;
    runEvery(
      app,
      5,
      async () => {
        runs++;
        await sleep(20);
        finished++;
      },
      () => assert.fail('no run fails here'),
    );
    await app.ready();
    await until('a run under way', () => runs === 1);
    await app.close();
    await until('the run under way to finish', () => finished === 1);
    await sleep(50);
    assert.equal(runs, 1);
  });
});
