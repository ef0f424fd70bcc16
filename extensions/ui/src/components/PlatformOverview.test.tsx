// A landing page's overview asks its own extension's group (docs/adr/0026), so a package installed alone answers
// it; an extension whose package is not installed shows as not served, never as an error.
import '../testing/dom.js';
import React from 'react';
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { screen, waitFor } from '@testing-library/react';
import { platformRoutes, platformRoutesFor } from '@ks-gpu-ml/contracts';
import enUi from '../../../../locales/en/ui.json';
import zhUi from '../../../../locales/zh/ui.json';
import { ContractServer, ok, refusal } from '../testing/contract-server.js';
import { cleanupPages, renderPart, speakEnglish } from '../testing/render.js';
import { PlatformOverview } from './PlatformOverview.js';

const own = platformRoutesFor('gpu-quota');
// The project list is KubeSphere's (no contract route): unanswered here, so these tests do not verify().
const server = new ContractServer();
beforeEach(() => {
  speakEnglish({ en: enUi, zh: zhUi });
  server.reset().listen();
});
afterEach(() => {
  cleanupPages();
  server.close();
});

test("the overview asks the extension's own group, not platform.ks-gpu-ml.io", async () => {
  server.on(own.listFeatures, () =>
    ok({
      items: [{ name: 'gpu-quota', group: 'gpu-quota.ks-gpu-ml.io', version: 'v1alpha1' }],
      platform: { group: 'gpu-quota.ks-gpu-ml.io', version: 'v1alpha1', buildVersion: '1.2.3' },
    }),
  );
  renderPart(<PlatformOverview feature="gpu-quota" cluster="host" />);
  const status = await screen.findByTestId('feature-status');
  assert.equal(status.getAttribute('data-enabled'), 'true');
  assert.match(status.textContent ?? '', /gpu-quota\.ks-gpu-ml\.io/);
  assert.equal(server.callsTo(own.listFeatures).length, 1);
  assert.equal(server.callsTo(platformRoutes.listFeatures).length, 0);
});

for (const code of [403, 404, 503]) {
  test(`a ${code} from ks-apiserver means the extension's package is not installed, not an error`, async () => {
    server.on(own.listFeatures, () =>
      refusal(code, 'NotFound', 'the server could not find the requested resource'),
    );
    renderPart(<PlatformOverview feature="gpu-quota" cluster="host" />);
    await waitFor(() => assert.equal(server.callsTo(own.listFeatures).length, 1));
    const status = await screen.findByTestId('feature-status');
    assert.equal(status.getAttribute('data-enabled'), 'false');
    assert.match(status.textContent ?? '', /gpu-quota\.ks-gpu-ml\.io/);
  });
}
