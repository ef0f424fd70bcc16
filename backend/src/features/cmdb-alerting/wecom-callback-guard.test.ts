import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReceiverInput } from '@ks-gpu-ml/contracts';
import { unavailableChannel } from '../../clients/channels/factory.js';
import type { ResolvedSecrets } from './receiver-channels.js';
import { heldCallbackSecrets } from './wecom-callback-guard.js';

const spec = (name: string) => ({ name, type: 'wecom-app' }) as ReceiverInput;

describe('heldCallbackSecrets', () => {
  it('reads a receiver`s usable keys once per TTL and row version, so forged calls do not each cost a Secret GET', async () => {
    let now = 0;
    const reads: string[] = [];
    let usable = true;
    const secrets = heldCallbackSecrets(
      async (owner, s, updatedAt): Promise<ResolvedSecrets> => {
        reads.push(`${owner}/${s.name}@${updatedAt}`);
        return usable
          ? { version: '1', values: new Map([['callbackToken', 't']]) }
          : {
              version: '1',
              problem: unavailableChannel('wecom-app', 'CMDB_ALERTING_RECEIVER_SECRET_MISSING', 'x'),
            };
      },
      { ttlMs: 30_000, now: () => now },
    );
    for (let i = 0; i < 5; i++) await secrets('', spec('app'), 1);
    assert.deepEqual(reads, ['/app@1']);
    await secrets('', spec('app'), 2);
    await secrets('ws', spec('app'), 2);
    assert.deepEqual(reads, ['/app@1', '/app@2', 'ws/app@2'], 'an edited receiver, another owner: read');
    now = 30_000;
    await secrets('', spec('app'), 2);
    assert.equal(reads.length, 4, 'read again after the TTL (a rotated Secret)');
    usable = false;
    await secrets('', spec('other'), 1);
    await secrets('', spec('other'), 1);
    assert.equal(reads.length, 6, 'an unusable Secret is not held');
  });
});
