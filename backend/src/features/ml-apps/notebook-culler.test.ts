// The culler's run over fakes of its clients: what it writes where (annotations, Events, and the alert for
// cmdb-alerting when Alertmanager is configured), and that one notebook's failure does not stop the others.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CoreV1Event } from '@kubernetes/client-node';
import type { KubeNotebook } from '../../clients/ml-apps-kube.js';
import type { NotebookCullClient, PostableAlert } from '../../clients/notebook-cull.js';
import { createTranslator, loadCatalogues } from '../../core/i18n.js';
import { CULL_WARNED_ANNOTATION, IDLE_SINCE_ANNOTATION } from './notebook-cull.js';
import type { CullPolicyStore } from './notebook-cull-policy.js';
import { CULL_ALERT_NAME, CULL_WARNING_REASON, createNotebookCuller } from './notebook-culler.js';

const H = 3_600_000;
const NOW = Date.parse('2026-12-06T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

const nb = (name: string, annotations: Record<string, string>): KubeNotebook => ({
  metadata: {
    name,
    namespace: 'lab',
    uid: `uid-${name}`,
    annotations: { 'kubesphere.io/creator': 'alice', ...annotations },
  },
  spec: {
    template: {
      spec: { containers: [{ name, image: 'i', resources: { limits: { 'nvidia.com/gpu': '1' } } }] },
    },
  },
});

function fakes(alerting: boolean, failOn?: string) {
  const patches: [string, Record<string, string | null>][] = [];
  const events: CoreV1Event[] = [];
  const alerts: PostableAlert[] = [];
  const client = {
    ownNamespace: 'own',
    alerting,
    configMap: async () => undefined,
    configMaps: async () => [],
    putConfigMap: async (b) => b,
    createEvent: async (_ns, e) => void events.push(e),
    idleGpus: async () =>
      new Map([
        [
          'lab',
          new Map([
            ['a-0', 1],
            ['b-0', 1],
          ]),
        ],
      ]),
    postAlerts: async (a) => void alerts.push(...a),
  } satisfies NotebookCullClient;
  const policies: CullPolicyStore = {
    get: async () => assert.fail('not read'),
    put: async () => assert.fail('not written'),
    stored: async () => [{ workspace: 'ws', policy: { enabled: true, idleHours: 4, warnMinutes: 30 } }],
  };
  const culler = createNotebookCuller({
    kube: {
      listNotebooks: async () => [
        nb('a', { [IDLE_SINCE_ANNOTATION]: iso(NOW - 5 * H) }),
        nb('b', { [IDLE_SINCE_ANNOTATION]: iso(NOW - 5 * H) }),
      ],
      annotateNotebook: async (_ns, name, a) => {
        if (name === failOn) throw new Error('apiserver said no');
        patches.push([name, a]);
        return undefined;
      },
    },
    client,
    policies,
    namespacesOf: async () => ['lab'],
    translate: createTranslator(loadCatalogues()),
  });
  return { culler, patches, events, alerts };
}

describe('the culler', () => {
  it('warns with an Event on the notebook and, with Alertmanager configured, an alert for cmdb-alerting', async () => {
    const { culler, patches, events, alerts } = fakes(true);
    const run = await culler.runOnce(NOW);
    assert.deepEqual(
      run.actions.map((a) => [a.action.kind, a.action.name]),
      [
        ['warn', 'a'],
        ['warn', 'b'],
      ],
    );
    assert.equal(patches[0]![1][CULL_WARNED_ANNOTATION], iso(NOW));
    assert.equal(events[0]!.reason, CULL_WARNING_REASON);
    assert.deepEqual(events[0]!.involvedObject, {
      apiVersion: 'kubeflow.org/v1',
      kind: 'Notebook',
      name: 'a',
      namespace: 'lab',
      uid: 'uid-a',
    });
    assert.deepEqual(alerts[0]!.labels, {
      alertname: CULL_ALERT_NAME,
      severity: 'warning',
      namespace: 'lab',
      workspace: 'ws',
      notebook: 'a',
      creator: 'alice',
    });
    assert.equal(alerts[0]!.endsAt, iso(NOW + 30 * 60_000));
  });

  it('without Alertmanager only the Event; a notebook whose patch fails is counted and the others go on', async () => {
    const { culler, events, alerts } = fakes(false, 'a');
    const run = await culler.runOnce(NOW);
    assert.equal(run.failures, 1);
    assert.deepEqual(
      run.actions.map((a) => a.action.name),
      ['b'],
    );
    assert.equal(events.length, 1);
    assert.equal(alerts.length, 0);
  });
});
