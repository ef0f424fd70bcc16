// List+watch of Nodes, Pods and Namespaces from the real kube-apiserver (client-node informers), exposed as
// plain snapshots the simulator reads at scrape time.
import {
  CoreV1Api,
  KubeConfig,
  makeInformer,
  type Informer,
  type ObjectCache,
} from '@kubernetes/client-node';
import type { V1Namespace, V1Node, V1Pod } from '@kubernetes/client-node';
import type { ClusterSource } from './simulator.js';
import type { NamespaceLike, NodeLike, PodLike } from './k8s-types.js';

type Watched<T extends V1Node | V1Pod | V1Namespace> = Informer<T> & ObjectCache<T>;

const RETRY_MS = 2000;

export class ClusterWatch implements ClusterSource {
  private readonly nodeInformer: Watched<V1Node>;
  private readonly podInformer: Watched<V1Pod>;
  private readonly namespaceInformer: Watched<V1Namespace>;
  private stopped = false;

  constructor(kubeconfigPath: string) {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    const api = kc.makeApiClient(CoreV1Api);
    this.nodeInformer = makeInformer(kc, '/api/v1/nodes', () => api.listNode());
    this.podInformer = makeInformer(kc, '/api/v1/pods', () => api.listPodForAllNamespaces());
    this.namespaceInformer = makeInformer(kc, '/api/v1/namespaces', () => api.listNamespace());
  }

  /** Resolves once every informer has listed; retries while the apiserver is unreachable. */
  async start(log: (msg: string) => void): Promise<void> {
    await Promise.all([
      this.startWithRetry(this.nodeInformer, log),
      this.startWithRetry(this.podInformer, log),
      this.startWithRetry(this.namespaceInformer, log),
    ]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([this.nodeInformer.stop(), this.podInformer.stop(), this.namespaceInformer.stop()]);
  }

  nodes(): readonly NodeLike[] {
    return this.nodeInformer.list() as readonly NodeLike[];
  }
  pods(): readonly PodLike[] {
    return this.podInformer.list() as readonly PodLike[];
  }
  namespaces(): readonly NamespaceLike[] {
    return this.namespaceInformer.list() as readonly NamespaceLike[];
  }

  private async startWithRetry<T extends V1Node | V1Pod | V1Namespace>(
    informer: Watched<T>,
    log: (msg: string) => void,
  ): Promise<void> {
    // A watch that ends with an error is not resumed by the informer itself; restart it after a pause.
    informer.on('error', (err: unknown) => {
      if (this.stopped) return;
      log(`watch error, restarting in ${RETRY_MS} ms: ${String(err)}`);
      setTimeout(() => {
        if (!this.stopped) informer.start().catch((e: unknown) => log(`restart failed: ${String(e)}`));
      }, RETRY_MS);
    });
    for (;;) {
      try {
        await informer.start();
        return;
      } catch (err) {
        if (this.stopped) return;
        log(`list failed, retrying in ${RETRY_MS} ms: ${String(err)}`);
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }
}
