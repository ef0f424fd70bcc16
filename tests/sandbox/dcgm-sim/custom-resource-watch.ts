// The objects of the custom resources a CustomResourceStateMetrics config names, from the real kube-apiserver.
// Like kube-state-metrics, which finds them through the CustomResourceDefinitions (and so needs list on those),
// it resolves each group/kind (and `*` versions) from the CRDs, so resources whose CRD arrives later are picked
// up too. Re-listed every few seconds rather than watched: a stand-in's simplicity, at sandbox scale.
import { ApiextensionsV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import type { CustomResourceConfig, ListedResource } from './ksm-custom-resources.js';

const POLL_MS = 3000;

export class CustomResourceWatch {
  private listed: ListedResource[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly crds: ApiextensionsV1Api;
  private readonly objects: CustomObjectsApi;

  constructor(
    kubeconfigPath: string,
    private readonly configs: readonly CustomResourceConfig[],
    private readonly log: (msg: string) => void,
  ) {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    this.crds = kc.makeApiClient(ApiextensionsV1Api);
    this.objects = kc.makeApiClient(CustomObjectsApi);
  }

  /** Lists once (so the first scrape has the objects), then keeps listing until stop(). */
  async start(): Promise<void> {
    await this.refresh();
    const loop = () => {
      this.timer = setTimeout(() => void this.refresh().finally(loop), POLL_MS);
    };
    loop();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  current(): readonly ListedResource[] {
    return this.listed;
  }

  private async refresh(): Promise<void> {
    try {
      const crds = (await this.crds.listCustomResourceDefinition()).items;
      const next: ListedResource[] = [];
      for (const config of this.configs) {
        const crd = crds.find((c) => c.spec.group === config.group && c.spec.names.kind === config.kind);
        if (!crd) continue;
        const versions = crd.spec.versions
          .filter((v) => v.served && (config.version === '*' || v.name === config.version))
          .map((v) => v.name);
        for (const version of versions) {
          const list = (await this.objects.listClusterCustomObject({
            group: config.group,
            version,
            plural: crd.spec.names.plural,
          })) as { items?: unknown[] };
          next.push({ config, version, objects: list.items ?? [] });
        }
      }
      this.listed = next;
    } catch (err) {
      // Keep serving the last listing, as an informer keeps its cache while its watch reconnects.
      this.log(`custom resources: listing failed, keeping the last one: ${String(err)}`);
    }
  }
}
