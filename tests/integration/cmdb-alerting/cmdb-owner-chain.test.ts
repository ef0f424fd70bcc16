// The business mapping against the sandbox's real kube-apiserver (kube-controller-manager makes the ReplicaSet and
// the pod) and the CMDB stand-in in-process: a pod of a Deployment labelled part-of resolves to that system through
// the owner chain read from the API; an unlabelled Deployment's pod resolves through the CMDB's namespace mapping,
// and from the last known mapping, said so, when the CMDB is down; a pod nobody maps lands in "unowned".
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCachedCmdb } from '../../../backend/src/clients/cmdb/cached.js';
import { createKubeOwners } from '../../../backend/src/clients/cmdb/kube-owners.js';
import { createNetboxAdapter } from '../../../backend/src/clients/cmdb/netbox.js';
import { createKubeClient } from '../../../backend/src/clients/kube.js';
import { defaultBusinessMapping } from '../../../backend/src/features/cmdb-alerting/business-resolve.js';
import { createEnricher } from '../../../backend/src/features/cmdb-alerting/enrich.js';
import { createTranslator, shippedCatalogues } from '../../../backend/src/core/i18n.js';
import { readSandboxEnv } from '../../sandbox/src/env.js';
import { createTestNamespace, uniqueName } from '../../sandbox/src/testing.js';
import { CmdbState, standInCredentials } from '../../sandbox/stand-ins/cmdb/state.js';
import { startCmdbStandIn, type RunningCmdbStandIn } from './cmdb-stand-in.js';
import { deployOnePod } from './workloads.js';

const cmdbState = new CmdbState();
let cmdbServer: RunningCmdbStandIn | undefined;
const system = uniqueName('payments');
const namespaces: { name: string; remove: () => Promise<void> }[] = [];
let clock = 0;
let enrich: ReturnType<typeof createEnricher>;

before(async () => {
  cmdbServer = await startCmdbStandIn(cmdbState);
  const base = cmdbServer.url;
  namespaces.push(
    await createTestNamespace('cmdb-mapped', 'ws-cmdb-test'),
    await createTestNamespace('cmdb-orphan'),
  );
  cmdbState.upsertSystem({ name: `${system}-cmdb`, importance: 'P2', namespaces: [namespaces[0]!.name] });
  const kube = createKubeClient({ kubeconfigPath: readSandboxEnv().KUBECONFIG, timeoutMs: 10_000 });
  const cmdb = createCachedCmdb(
    createNetboxAdapter({ baseUrl: base, token: () => standInCredentials.netboxToken }),
    {
      ttlMs: 1_000,
      lastKnownMs: 3_600_000,
      maxBytes: 1_000_000,
      deadlineMs: 2_000,
      now: () => clock,
    },
  );
  enrich = createEnricher({
    owners: createKubeOwners(kube),
    cmdb,
    config: defaultBusinessMapping,
    translate: createTranslator(shippedCatalogues()),
  });
});
after(async () => {
  await cmdbServer?.stop();
  await Promise.all(namespaces.map((n) => n.remove()));
});

describe('business mapping against kube-apiserver', () => {
  it('a Deployment labelled part-of: pod → ReplicaSet → Deployment read from the API, the system named with its rule', async () => {
    const ns = namespaces[0]!.name;
    const pod = await deployOnePod(ns, 'api', { 'app.kubernetes.io/part-of': system });
    const e = await enrich({ alertname: 'ContainerCrashLooping', namespace: ns, pod });
    assert.deepEqual(
      e.workloads.value.map((w) => w.kind),
      ['Pod', 'ReplicaSet', 'Deployment'],
    );
    assert.equal(e.system.value, system);
    assert.deepEqual(e.system.provenance, {
      source: 'workload',
      rule: `label app.kubernetes.io/part-of on Deployment ${ns}/api`,
    });
  });

  it("an unlabelled Deployment's pod: the CMDB's namespace mapping, then the last known one flagged when the CMDB is down", async () => {
    const ns = namespaces[0]!.name;
    const pod = await deployOnePod(ns, 'worker', {});
    const labels = { alertname: 'ContainerCrashLooping', namespace: ns, pod };
    const fresh = await enrich(labels);
    assert.deepEqual(
      [fresh.system.value, fresh.system.provenance.source, fresh.importance?.value, fresh.cmdb.stale],
      [`${system}-cmdb`, 'cmdb', 'P2', false],
    );
    assert.equal(fresh.owners.value[0]?.wecomUserId, `${system}-cmdb-owner`);
    cmdbState.faults.set('netbox', 'down');
    try {
      clock += 5_000;
      const stale = await enrich(labels);
      assert.deepEqual(
        [stale.system.value, stale.cmdb.stale, stale.cmdb.error],
        [`${system}-cmdb`, true, 'CMDB_UNREACHABLE'],
      );
      assert.match(stale.impact.en, /last known mapping/);
    } finally {
      cmdbState.faults.delete('netbox');
    }
  });

  it('a pod nobody maps (no labels, no CMDB entry, no workspace) is unowned', async () => {
    const ns = namespaces[1]!.name;
    const pod = await deployOnePod(ns, 'stray', {});
    const e = await enrich({ alertname: 'PodNotReady', namespace: ns, pod });
    assert.equal(e.unowned, true);
    assert.deepEqual(
      e.chain.map((s) => [s.source, s.outcome]),
      [
        ['workload', 'no-match'],
        ['namespace', 'no-match'],
        ['cmdb', 'no-match'],
        ['workspace', 'no-match'],
      ],
    );
  });
});
