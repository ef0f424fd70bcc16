{{/*
What cmdb-alerting's service account may do besides checking callers (rbac.yaml in charts/_common): watch the
namespaces (which workspace an alert's namespace belongs to: clients/workspace-membership.ts), read an alert's pod
and the workloads owning it up the controller chain (ReplicaSet → Deployment, StatefulSet, Job → CronJob, a
Notebook's, a Training Operator job's, a TrainJob's JobSet, an InferenceService's Knative or raw Deployment: the
business system named on them, and the mapping page's explanation of any pod), list the top-level kinds (the
business systems page) and a namespace's pods (a business silence's label sets), and read the Secrets its
receivers name, one `get` each (docs/adr/0036). receiverSecrets.scope chooses where: `namespace` (the default)
grants it in the extension's namespace only, `cluster` in every namespace; receiverSecrets.resourceNames pins it
to those names.
*/}}
{{- define "feature.secretRule" -}}
- apiGroups: ['']
  resources: [secrets]
  {{- with .Values.receiverSecrets.resourceNames }}
  resourceNames: {{ toJson . }}
  {{- end }}
  verbs: [get]
{{- end -}}

{{- define "feature.clusterRules" -}}
- apiGroups: ['']
  resources: [namespaces]
  verbs: [get, list, watch]
- apiGroups: ['']
  resources: [pods]
  verbs: [get, list]
- apiGroups: [apps]
  resources: [replicasets]
  verbs: [get]
- apiGroups: [apps]
  resources: [deployments, statefulsets, daemonsets]
  verbs: [get, list]
- apiGroups: [batch]
  resources: [jobs, cronjobs]
  verbs: [get, list]
- apiGroups: [kubeflow.org]
  resources: [notebooks, pytorchjobs]
  verbs: [get, list]
- apiGroups: [kubeflow.org]
  resources: [tfjobs, xgboostjobs, mpijobs]
  verbs: [get]
- apiGroups: [trainer.kubeflow.org]
  resources: [trainjobs]
  verbs: [get, list]
- apiGroups: [jobset.x-k8s.io]
  resources: [jobsets]
  verbs: [get]
- apiGroups: [serving.kserve.io]
  resources: [inferenceservices]
  verbs: [get, list]
- apiGroups: [serving.knative.dev]
  resources: [services, configurations, revisions]
  verbs: [get]
{{- if eq .Values.receiverSecrets.scope "cluster" }}
{{ include "feature.secretRule" . }}
{{- end }}
{{- end -}}

{{- define "feature.namespaceRules" -}}
{{- if not (has .Values.receiverSecrets.scope (list "namespace" "cluster")) }}
{{- fail (printf "receiverSecrets.scope: %q must be namespace or cluster" .Values.receiverSecrets.scope) }}
{{- end }}
{{- if eq .Values.receiverSecrets.scope "namespace" }}
{{ include "feature.secretRule" . }}
{{- end }}
{{- end -}}
