// Queue positions from Kueue's visibility API. The client is exercised over HTTP against a stand-in of the
// aggregated API (the path and the PendingWorkloadsSummary format of kubernetes-sigs/kueue
// apis/visibility/v1beta2/types.go), since no Kueue manager runs in the sandbox.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createKubeClient } from '../../clients/kube.js';
import { createMlAppsKube, type KubeWorkload, type PendingWorkload } from '../../clients/ml-apps-kube.js';
import { kubeconfigFor } from '../../clients/test-kubeconfig.js';
import { positionOf, queuePositions, VISIBILITY_GROUP } from './kueue-position.js';

const workload = (name: string, queue: string, admitted = false): KubeWorkload => ({
  metadata: { name },
  spec: { queueName: queue },
  status: { conditions: admitted ? [{ type: 'Admitted', status: 'True' }] : [] },
});

/** The stand-in's answer for LocalQueue `team-gpus` of namespace `lab`: three pending Workloads, ours second. */
const PENDING: PendingWorkload[] = [
  {
    metadata: { name: 'wl-first', namespace: 'lab' },
    localQueueName: 'team-gpus',
    priority: 10,
    positionInClusterQueue: 3,
    positionInLocalQueue: 0,
  },
  {
    metadata: { name: 'wl-ours', namespace: 'lab' },
    localQueueName: 'team-gpus',
    priority: 0,
    positionInClusterQueue: 5,
    positionInLocalQueue: 1,
  },
];

describe('queuePositions against a stand-in of the visibility API over HTTP', () => {
  let server: Server;
  const asked: string[] = [];
  let served = true;
  before(async () => {
    server = createServer((req, res) => {
      asked.push(req.url ?? '');
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url === `/apis/${VISIBILITY_GROUP}/v1beta2`) {
        return served
          ? json(200, {
              kind: 'APIResourceList',
              groupVersion: `${VISIBILITY_GROUP}/v1beta2`,
              resources: [
                { name: 'clusterqueues', namespaced: false, kind: 'ClusterQueue', verbs: ['get'] },
                {
                  name: 'clusterqueues/pendingworkloads',
                  namespaced: false,
                  kind: 'PendingWorkloadsSummary',
                  verbs: ['get'],
                },
                { name: 'localqueues', namespaced: true, kind: 'LocalQueue', verbs: ['get'] },
                {
                  name: 'localqueues/pendingworkloads',
                  namespaced: true,
                  kind: 'PendingWorkloadsSummary',
                  verbs: ['get'],
                },
              ],
            })
          : json(404, { kind: 'Status', code: 404 });
      }
      if (
        req.url?.startsWith(
          `/apis/${VISIBILITY_GROUP}/v1beta2/namespaces/lab/localqueues/team-gpus/pendingworkloads`,
        )
      ) {
        return json(200, {
          kind: 'PendingWorkloadsSummary',
          apiVersion: `${VISIBILITY_GROUP}/v1beta2`,
          metadata: {},
          items: PENDING,
        });
      }
      if (req.url?.includes('/localqueues/broken/')) return json(503, { kind: 'Status', code: 503 });
      json(404, { kind: 'Status', code: 404 });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  after(() => server.close());

  const kubeAt = () =>
    createMlAppsKube(
      createKubeClient({
        kubeconfigPath: kubeconfigFor(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
        timeoutMs: 5_000,
      }),
    );

  it('gives a pending job its 0-based places in its LocalQueue and ClusterQueue, as Kueue lists them', async () => {
    const ours = workload('wl-ours', 'team-gpus');
    const positions = await queuePositions(kubeAt(), 'lab', [ours, workload('wl-done', 'team-gpus', true)]);
    assert.deepEqual(positionOf(positions, ours), { position: { inLocalQueue: 1, inClusterQueue: 5 } });
    assert.ok(
      asked.some((u) => u.endsWith('/namespaces/lab/localqueues/team-gpus/pendingworkloads?limit=1000')),
    );
    // An admitted Workload has no place in a queue; one Kueue does not list is said to be so.
    assert.deepEqual(positionOf(positions, workload('wl-done', 'team-gpus', true)), {});
    assert.deepEqual(positionOf(positions, workload('wl-new', 'team-gpus')), {
      positionUnavailable: 'not-listed',
    });
  });

  it('a LocalQueue whose listing fails makes its jobs unreachable, not the list', async () => {
    const broken = workload('wl-b', 'broken');
    const positions = await queuePositions(kubeAt(), 'lab', [broken, workload('wl-ours', 'team-gpus')]);
    assert.deepEqual(positionOf(positions, broken), { positionUnavailable: 'unreachable' });
    assert.deepEqual(positionOf(positions, workload('wl-ours', 'team-gpus')), {
      position: { inLocalQueue: 1, inClusterQueue: 5 },
    });
  });

  it('without the visibility API (no Kueue manager) every pending job says not-served, and nothing is listed', async () => {
    served = false;
    const before = asked.length;
    const kube = kubeAt();
    const ours = workload('wl-ours', 'team-gpus');
    const positions = await queuePositions(kube, 'lab', [ours]);
    assert.deepEqual(positionOf(positions, ours), { positionUnavailable: 'not-served' });
    assert.ok(asked.slice(before).every((u) => !u.includes('pendingworkloads')));
  });

  it('asks nothing when no Workload is pending', async () => {
    const before = asked.length;
    await queuePositions(kubeAt(), 'lab', [workload('a', 'q', true)]);
    assert.equal(asked.length, before);
  });
});
