import assert from 'node:assert/strict';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { keepTunnelAuthorized } from './notebook-tunnel.js';

describe('keepTunnelAuthorized', () => {
  it('keeps the tunnel while the caller may still open the notebook, and ends it once they may not', async () => {
    const socket = new PassThrough();
    let allowed = true;
    let asked = 0;
    const refusals: string[] = [];
    keepTunnelAuthorized(
      socket,
      async () => {
        asked += 1;
        if (asked === 3) allowed = false;
        return allowed;
      },
      (why) => refusals.push(why),
      5,
    );
    await once(socket, 'close');
    assert.equal(asked, 3, 'open through the answers that allowed it, closed at the first refusal');
    assert.deepEqual(refusals, ['refused']);
  });

  it('ends the tunnel when the question cannot be answered', async () => {
    const socket = new PassThrough();
    const refusals: string[] = [];
    keepTunnelAuthorized(
      socket,
      () => Promise.reject(new Error('ks-apiserver down')),
      (why) => refusals.push(why),
      5,
    );
    await once(socket, 'close');
    assert.deepEqual(refusals, ['unanswered']);
  });

  it('stops asking once the tunnel closed', async () => {
    const socket = new PassThrough();
    let asked = 0;
    keepTunnelAuthorized(
      socket,
      async () => (asked += 1) > 0,
      () => undefined,
      5,
    );
    socket.destroy();
    await once(socket, 'close');
    const after = asked;
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(asked, after);
  });
});
