// gpu-monitoring's idle-allocated GPU alert (GPUAllocatedIdle, labelled with the pod holding the GPU) reaches the
// holder: against the sandbox's kube-apiserver, a Kubeflow Notebook created by alice (kubesphere.io/creator) whose
// StatefulSet's pod (made by kube-controller-manager) holds the GPU; the escalation's enricher climbs pod →
// StatefulSet → Notebook and names alice as the owner to notify, with the rule, and the message @-mentions her;
// another alert on the same pod goes to the business system's owners.
import { AppsV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createKubeOwners } from '../../../backend/src/clients/cmdb/kube-owners.js';
import { createKubeClient } from '../../../backend/src/clients/kube.js';
import { defaultBusinessMapping } from '../../../backend/src/features/cmdb-alerting/business-resolve.js';
import { businessLines, createEnricher } from '../../../backend/src/features/cmdb-alerting/enrich.js';
import { createTranslator, shippedCatalogues } from '../../../backend/src/core/i18n.js';
import { readSandboxEnv } from '../../sandbox/src/env.js';
import { adminKubeConfig, createTestNamespace, uniqueName, waitFor } from '../../sandbox/src/testing.js';

const apps = adminKubeConfig().makeApiClient(AppsV1Api);
const core = adminKubeConfig().makeApiClient(CoreV1Api);
const custom = adminKubeConfig().makeApiClient(CustomObjectsApi);
const system = uniqueName('research');
let namespace: { name: string; remove: () => Promise<void> };
let pod = '';

before(async () => {
  namespace = await createTestNamespace('gpu-holder');
  const ns = namespace.name;
  const nb = (await custom.createNamespacedCustomObject({
    group: 'kubeflow.org',
    version: 'v1',
    namespace: ns,
    plural: 'notebooks',
    body: {
      apiVersion: 'kubeflow.org/v1',
      kind: 'Notebook',
      metadata: {
        name: 'nb',
        labels: { 'app.kubernetes.io/part-of': system },
        annotations: { 'kubesphere.io/creator': 'alice', 'business.kubesphere.io/importance': 'P3' },
      },
      spec: { template: { spec: { containers: [{ name: 'nb', image: 'jupyter' }] } } },
    },
  })) as { metadata: { uid: string } };
  await apps.createNamespacedStatefulSet({
    namespace: ns,
    body: {
      metadata: {
        name: 'nb',
        ownerReferences: [
          {
            apiVersion: 'kubeflow.org/v1',
            kind: 'Notebook',
            name: 'nb',
            uid: nb.metadata.uid,
            controller: true,
          },
        ],
      },
      spec: {
        replicas: 1,
        serviceName: 'nb',
        selector: { matchLabels: { 'notebook-name': 'nb' } },
        template: {
          metadata: { labels: { 'notebook-name': 'nb' } },
          spec: { containers: [{ name: 'nb', image: 'jupyter' }] },
        },
      },
    },
  });
  pod = await waitFor('the notebook pod', async () => {
    const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: 'notebook-name=nb' });
    return pods.items[0]?.metadata?.name;
  });
});
after(async () => {
  await namespace?.remove();
});

describe('the idle-allocated GPU alert and its holder', () => {
  it("names the Notebook's creator as the owner to notify, and @-mentions her", async () => {
    const kube = createKubeClient({ kubeconfigPath: readSandboxEnv().KUBECONFIG, timeoutMs: 10_000 });
    const enrich = createEnricher({
      owners: createKubeOwners(kube),
      config: defaultBusinessMapping,
      translate: createTranslator(shippedCatalogues()),
    });
    // The labels gpu-monitoring's GPUAllocatedIdle rule gives the alert (gpu_pod:dcgm_idle_allocated:max30m).
    const labels = {
      alertname: 'GPUAllocatedIdle',
      severity: 'warning',
      namespace: namespace.name,
      pod,
      container: 'nb',
      gpu: '0',
      UUID: 'GPU-0000',
      node: 'gpu-node-1',
    };
    const e = await enrich(labels);
    assert.equal(e.system.value, system);
    assert.deepEqual(
      e.workloads.value.map((w) => w.kind),
      ['Pod', 'StatefulSet', 'Notebook'],
    );
    assert.deepEqual(e.owners.value, [{ name: 'alice', wecomUserId: 'alice', role: 'holder' }]);
    assert.equal(
      e.owners.provenance.rule,
      `annotation kubesphere.io/creator on Notebook ${namespace.name}/nb (holds what the alert is about)`,
    );
    assert.equal(businessLines(e, 'en', 'markdown')[1], '@ <@alice>');

    const other = await enrich({ ...labels, alertname: 'GPUXidError' });
    assert.deepEqual(other.owners.value, [], 'no business owners recorded: nobody else is named');
  });
});
