import {
  makeInformer,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';

/**
 * An informer-style local copy of a list of Kubernetes objects, for features that read the same objects on many
 * requests (nodes, namespaces, quotas): list once, then follow the watch. The watch restarts after errors with a
 * backoff, and the whole list is fetched again every `resyncMs` so a missed event cannot leave the copy wrong
 * for long.
 */
export interface WatchCache<T extends KubernetesObject> {
  /** Resolves after the first complete list. */
  ready(): Promise<void>;
  list(namespace?: string): readonly T[];
  get(name: string, namespace?: string): T | undefined;
  stop(): Promise<void>;
}

export interface WatchCacheOptions<T extends KubernetesObject> {
  config: KubeConfig;
  /** The API path to watch, e.g. `/api/v1/namespaces`. */
  path: string;
  list: () => Promise<KubernetesListObject<T>>;
  labelSelector?: string;
  resyncMs: number;
  retryMs?: number;
  onError?: (err: unknown) => void;
}

export function createWatchCache<T extends KubernetesObject>(options: WatchCacheOptions<T>): WatchCache<T> {
  const informer = makeInformer<T>(options.config, options.path, options.list, options.labelSelector);
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let firstList: Promise<void> | undefined;

  const restart = (delayMs: number) => {
    if (stopped) return;
    clearTimeout(retry);
    retry = setTimeout(() => {
      void informer.start().catch((err: unknown) => {
        options.onError?.(err);
        restart(options.retryMs ?? 5_000);
      });
    }, delayMs);
    retry.unref();
  };

  informer.on('error', (err) => {
    options.onError?.(err);
    restart(options.retryMs ?? 5_000);
  });

  const resync = setInterval(() => {
    if (stopped) return;
    // stop + start re-lists; the informer replaces its cache with the fresh list.
    void informer.stop().then(() => restart(0));
  }, options.resyncMs);
  resync.unref();

  return {
    ready() {
      firstList ??= informer.start();
      return firstList;
    },
    list: (namespace) => informer.list(namespace),
    get: (name, namespace) => informer.get(name, namespace),
    async stop() {
      stopped = true;
      clearTimeout(retry);
      clearInterval(resync);
      await informer.stop();
    },
  };
}
