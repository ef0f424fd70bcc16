// The WeCom stand-in answers as the reference says WeCom does: HTTP 200 with errcode, the robot's limits enforced.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createWecomStandIn } from './server.js';

const server = createWecomStandIn();
let base: string;
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

async function post(path: string, body: object): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(base + path, { method: 'POST', body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
const markdown = (content: string) => ({ msgtype: 'markdown', markdown: { content } });

describe('WeCom stand-in', () => {
  it('robot: unknown key 93000, markdown above 4,096 bytes 40058, the 21st message in a minute 45009', async () => {
    assert.equal((await post('/cgi-bin/webhook/send?key=nope', markdown('hi'))).body.errcode, 93000);
    await post('/_stand-in/config', { robots: ['k1'] });
    const tooLong = await post('/cgi-bin/webhook/send?key=k1', markdown('告'.repeat(1366))); // 4,098 bytes
    assert.deepEqual([tooLong.status, tooLong.body.errcode], [200, 40058]);
    const codes: unknown[] = [];
    for (let i = 0; i < 21; i++)
      codes.push((await post('/cgi-bin/webhook/send?key=k1', markdown('告'.repeat(1365)))).body.errcode);
    assert.deepEqual(codes, [...Array<number>(20).fill(0), 45009]);
  });

  it('faults are switched per target and refused when unknown', async () => {
    await post('/_stand-in/config', { robots: ['k2'] });
    assert.equal((await post('/_stand-in/faults', { target: 'k2', fault: 'flood' })).status, 400);
    await post('/_stand-in/faults', { target: 'k2', fault: 'server-error' });
    assert.equal((await post('/cgi-bin/webhook/send?key=k2', markdown('x'))).status, 500);
    await post('/_stand-in/faults', { target: 'k2', fault: null });
    assert.equal((await post('/cgi-bin/webhook/send?key=k2', markdown('x'))).body.errcode, 0);
  });
});
