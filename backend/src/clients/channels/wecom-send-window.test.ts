import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SendWindow, SendWindows } from './wecom-send-window.js';

describe('wecom-send-window', () => {
  it('allows 20 messages in any 60 s and answers when the oldest leaves the window', () => {
    const window = new SendWindow(20, 60_000);
    const t0 = 1_000_000;
    for (let i = 0; i < 20; i++) {
      assert.equal(window.nextSendAt(t0 + i * 1000), t0 + i * 1000);
      window.record(t0 + i * 1000);
    }
    assert.equal(window.remaining(t0 + 19_500), 0);
    assert.equal(window.nextSendAt(t0 + 19_500), t0 + 60_000);
    assert.equal(window.remaining(t0 + 60_000), 1);
    assert.equal(window.remaining(t0 + 80_000), 20);
  });

  it('a provider block holds sends back even with room in the window', () => {
    const window = new SendWindow(20, 60_000);
    window.record(0);
    window.block(60_000);
    assert.equal(window.remaining(30_000), 0);
    assert.equal(window.nextSendAt(30_000), 60_000);
    assert.equal(window.nextSendAt(60_000), 60_000);
    assert.equal(window.remaining(60_000), 20);
  });

  it('keeps one window per sender, bounded in number, keyed without the secret', () => {
    const windows = new SendWindows(20, 60_000, 3);
    windows.for('robot', 'key-a').record(0);
    assert.equal(windows.for('robot', 'key-a').remaining(1), 19);
    assert.equal(windows.for('robot', 'key-b').remaining(1), 20);
    for (const key of ['c', 'd', 'e']) windows.for('robot', key);
    assert.equal(windows.size, 3);
    assert.equal(
      windows.for('robot', 'key-a').remaining(1),
      20,
      'the least recently used sender was forgotten',
    );
    assert.ok(
      !JSON.stringify([...(windows as unknown as { windows: Map<string, unknown> }).windows.keys()]).includes(
        'key-a',
      ),
    );
  });
});
