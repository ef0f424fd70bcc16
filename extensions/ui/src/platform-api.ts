// Row shaping for the platform API (`platform.ks-gpu-ml.io`, served by our backend through ks-apiserver; its
// calls go through the typed client by route spec).
import type { CapabilityList, FeatureList } from '@ks-gpu-ml/contracts';

export interface CapabilityRow {
  key: string;
  project: string;
  resource: string;
  group: string;
  verbs: string;
}

export function capabilityRows(lists: readonly CapabilityList[]): CapabilityRow[] {
  return lists.flatMap((list) =>
    list.items.map((item) => {
      const resource = item.subresource ? `${item.resource}/${item.subresource}` : item.resource;
      return {
        key: `${list.scopeName}/${item.group}/${resource}`,
        project: list.scopeName,
        resource,
        group: item.group,
        verbs: item.verbs.join(', '),
      };
    }),
  );
}

export function featureStatus(list: FeatureList | undefined, feature: string) {
  return list?.items.find((f) => f.name === feature);
}
