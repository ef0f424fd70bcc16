// Waiting for a warning about a service's pods, for the serving detail's own long poll (ADR 0040): Kubernetes
// events are not in the list's watch caches (a cluster's events are many and short-lived), so a detail that is
// open and waiting holds one watch of its namespace's Warning pod events, from the resourceVersion read before
// the detail was made, until one names a pod of the service or its time is up. At most MAX_EVENT_WAITS at once.
import { CoreV1Api, Watch, type CoreV1Event } from '@kubernetes/client-node';
import type { KubeClient } from './kube.js';
import { kubeCall as call } from './kube-calls.js';

const WARNING_POD_EVENTS = 'type=Warning,involvedObject.kind=Pod';
/** Event watches held at once; past this a wait is answered as "nothing new" after its time. */
const MAX_EVENT_WAITS = 200;

export interface ServingEvents {
  /** The namespace's events' resourceVersion now: a wait from it sees every warning written after. */
  eventsVersion(namespace: string): Promise<string>;
  /**
   * True once a Warning event about a pod whose name starts with `podPrefix` is written (added or counted again)
   * after `resourceVersion`; false after `timeoutMs`. A watch that breaks waits out the time (no busy loop).
   */
  podWarningAfter(
    namespace: string,
    podPrefix: string,
    resourceVersion: string,
    timeoutMs: number,
  ): Promise<boolean>;
}

export function createServingEvents(kube: KubeClient): ServingEvents {
  let core: CoreV1Api | undefined;
  const api = () => (core ??= kube.config.makeApiClient(CoreV1Api));
  let waiting = 0;

  return {
    async eventsVersion(namespace) {
      // One item asked: the list's own resourceVersion is what matters.
      const list = await call(() =>
        api().listNamespacedEvent(
          { namespace, fieldSelector: WARNING_POD_EVENTS, limit: 1 },
          kube.callOptions(),
        ),
      );
      return list.metadata?.resourceVersion ?? '';
    },

    podWarningAfter(namespace, podPrefix, resourceVersion, timeoutMs) {
      return new Promise<boolean>((resolve) => {
        let request: AbortController | undefined;
        let settled = false;
        const finish = (woke: boolean) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          waiting--;
          request?.abort();
          resolve(woke);
        };
        waiting++;
        const timer = setTimeout(() => finish(false), timeoutMs);
        timer.unref();
        if (waiting > MAX_EVENT_WAITS || !resourceVersion) return;
        new Watch(kube.config)
          .watch(
            `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`,
            { fieldSelector: WARNING_POD_EVENTS, resourceVersion, allowWatchBookmarks: false },
            (type: string, event: CoreV1Event) => {
              const pod = event?.involvedObject?.name ?? '';
              if ((type === 'ADDED' || type === 'MODIFIED') && pod.startsWith(podPrefix)) finish(true);
            },
            // Ended or broken (410 Gone, a proxy's cut): the caller's time runs out and it asks again.
            () => undefined,
          )
          .then((controller) => {
            request = controller;
            if (settled) controller.abort();
          })
          .catch(() => undefined);
      });
    },
  };
}
