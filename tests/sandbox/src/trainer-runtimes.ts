// The ClusterTrainingRuntime a Kubeflow Trainer install brings (v2.3.0 installs torch-distributed and others by
// default; shared/reference sandbox-for-alerting-and-ml.md §8), so that a TrainJob naming it is valid here as on a
// cluster with Trainer. Its JobSet template is the smallest that says what the runtime runs; no controller reads it.
import type { KubernetesObject } from '@kubernetes/client-node';

export const DEFAULT_TRAINING_RUNTIMES = ['torch-distributed'] as const;

export function defaultTrainingRuntimes(): KubernetesObject[] {
  return DEFAULT_TRAINING_RUNTIMES.map((name) => ({
    apiVersion: 'trainer.kubeflow.org/v1alpha1',
    kind: 'ClusterTrainingRuntime',
    metadata: { name, labels: { 'app.kubernetes.io/part-of': 'ks-gpu-ml-sandbox' } },
    spec: {
      mlPolicy: { numNodes: 1, torch: { numProcPerNode: 'auto' } },
      template: {
        spec: {
          replicatedJobs: [
            {
              name: 'node',
              template: {
                spec: {
                  template: {
                    spec: { containers: [{ name: 'node', image: 'sandbox.local/pytorch:2' }] },
                  },
                },
              },
            },
          ],
        },
      },
    },
  }));
}
