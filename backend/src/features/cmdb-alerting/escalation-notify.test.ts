// A notification is written in its receiver's language, with the shipped catalogues (locales/*/backend.json).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReceiverInput } from '@ks-gpu-ml/contracts';
import { createTranslator, shippedCatalogues } from '../../core/i18n.js';
import { renderNotification, type RenderInput } from './escalation-notify.js';

const translate = createTranslator(shippedCatalogues());
const receiver = (settings: Record<string, string>): RenderInput['receiver'] => ({
  ref: 'ops',
  spec: {
    name: 'ops',
    type: 'wecom-robot',
    settings,
    secretRefs: {},
    recipients: [],
  } satisfies ReceiverInput,
});
const input = (settings: Record<string, string>, status: 'firing' | 'resolved' = 'firing'): RenderInput => ({
  alertKey: 'abc-1',
  alert: {
    fingerprint: 'abc',
    startsAt: '2026-12-05T10:00:00.000Z',
    labels: { alertname: 'KubePodCrashLooping', severity: 'critical', namespace: 'pay', pod: 'api-0' },
    annotations: { summary: 'api-0 is restarting' },
  },
  status,
  seq: 0,
  receiver: receiver(settings),
  ackUrl: 'https://ks.example/alerting/ack?t=x',
  translate,
});

describe('renderNotification', () => {
  it('writes English by default and Chinese for a receiver whose language is zh', () => {
    const en = renderNotification(input({}));
    assert.equal(en.title, '[FIRING] KubePodCrashLooping (critical) api-0 is restarting');
    assert.match(en.markdown, /\n\[Acknowledge\]\(https:\/\/ks\.example\/alerting\/ack\?t=x\)$/);
    const zh = renderNotification(input({ language: 'zh' }));
    assert.equal(zh.title, '[告警] KubePodCrashLooping (critical) api-0 is restarting');
    assert.match(zh.markdown, /\n\[确认收到\]\(https:\/\/ks\.example\/alerting\/ack\?t=x\)$/);
    assert.match(zh.text, /^确认收到: https:/m);
    assert.equal(renderNotification(input({ language: 'zh' }, 'resolved')).title.slice(0, 5), '[已恢复]');
  });

  it('without a translator (tests, tools) the English words', () => {
    const { translate: _t, ...bare } = input({ language: 'zh' });
    assert.match(renderNotification(bare).title, /^\[FIRING\]/);
  });

  it('a WeCom app message with a reply code asks for "ACK <code>" in its language; a resolved notice does not', () => {
    const withCode = (language: string, status: 'firing' | 'resolved' = 'firing') =>
      renderNotification({ ...input({ language }, status), replyCode: '7F3KQ2MX' });
    const en = withCode('en');
    assert.match(en.markdown, /\nReply ACK 7F3KQ2MX to acknowledge$/);
    assert.match(en.text, /^Reply ACK 7F3KQ2MX to acknowledge$/m);
    assert.equal(en.replyCode, '7F3KQ2MX');
    assert.match(withCode('zh').markdown, /\n回复 ACK 7F3KQ2MX 确认收到$/);
    const resolved = withCode('en', 'resolved');
    assert.doesNotMatch(resolved.markdown + resolved.text, /7F3KQ2MX/);
    assert.equal(resolved.replyCode, undefined);
  });
});
