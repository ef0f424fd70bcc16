{{/*
What ml-apps's service account may do besides checking callers (rbac.yaml in charts/_common): exactly the calls of
backend/src/clients/ml-apps-kube.ts (no watch: it reads on demand so the pre-check sees current quota), in the
projects its callers name, so cluster-wide. Which operators are installed is API discovery, open to every
authenticated identity. docs/adr/0038.
*/}}
{{- define "feature.clusterRules" -}}
# The project exists; capacity: nodes and the pods placed on them (every namespace); a project's pods, warning
# events (why a pod waits) and ResourceQuotas (the pre-check).
- apiGroups: ['']
  resources: [namespaces]
  verbs: [get]
- apiGroups: ['']
  resources: [nodes, pods, events, resourcequotas]
  verbs: [list]
# A notebook's or training replica's pod and its log (pods/log: the apiserver asks the node's kubelet).
- apiGroups: ['']
  resources: [pods, pods/log]
  verbs: [get]
# A notebook's workspace volume: listed for the create form, created with the notebook, removed if that fails.
- apiGroups: ['']
  resources: [persistentvolumeclaims]
  verbs: [list, create, delete]
# Kubeflow Notebooks (stopped and started by annotation: patch) and the Training Operator v1 jobs.
- apiGroups: [kubeflow.org]
  resources: [notebooks]
  verbs: [get, list, create, patch, delete]
- apiGroups: [kubeflow.org]
  resources: [tfjobs, pytorchjobs, xgboostjobs, mpijobs]
  verbs: [get, list, create, delete]
# Kubeflow Trainer v2: TrainJobs, and the runtime a submission names must exist.
- apiGroups: [trainer.kubeflow.org]
  resources: [trainjobs]
  verbs: [get, list, create, delete]
- apiGroups: [trainer.kubeflow.org]
  resources: [trainingruntimes, clustertrainingruntimes]
  verbs: [get, list]
# A job Kueue manages waits in Kueue's words until its Workload is admitted (the Workloads of the project).
- apiGroups: [kueue.x-k8s.io]
  resources: [workloads]
  verbs: [list]
# GPU-aware idle culling (ADR 0041): the Events that warn a notebook's owner and record its stop (the stop itself
# is the notebooks patch above).
- apiGroups: ['']
  resources: [events]
  verbs: [create]
# A pending job's place in Kueue's queues: the visibility API's pending Workloads of a LocalQueue.
- apiGroups: [visibility.kueue.x-k8s.io]
  resources: [localqueues/pendingworkloads]
  verbs: [get]
{{- if .Values.rbac.modelServing }}
# Model serving with KServe (issue 17): InferenceServices (a canary, its promotion and rollback: patch; the
# calls of backend/src/clients/serving-kube.ts) and the runtimes they may name. The services list follows
# InferenceServices and their pods (KServe's label) by a watch (ADR 0040).
- apiGroups: [serving.kserve.io]
  resources: [inferenceservices]
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: ['']
  resources: [pods]
  verbs: [watch]
# An open serving detail waits on its project's Warning pod events (serving-events.ts, one watch per wait).
- apiGroups: ['']
  resources: [events]
  verbs: [watch]
# KServe's LLMInferenceService (v1alpha1, when installed): a large language model served from a version; listed
# from a watch of them and of their pods (the llmisvc controller's `app.kubernetes.io/part-of` label).
- apiGroups: [serving.kserve.io]
  resources: [llminferenceservices]
  verbs: [get, list, watch, create, delete]
- apiGroups: [serving.kserve.io]
  resources: [servingruntimes, clusterservingruntimes]
  verbs: [get, list]
{{- end }}
{{- end -}}

{{- define "feature.namespaceRules" -}}
# The workspaces' idle-culling policies: one ConfigMap each, in the backend's own namespace (ADR 0041).
- apiGroups: ['']
  resources: [configmaps]
  verbs: [get, list, create, update]
{{- end -}}
