{{/*
What gpu-monitoring's service account may do besides checking callers (rbac.yaml in charts/_common adds
TokenReview and SubjectAccessReview): it maps namespaces to workspaces (backend/src/features/gpu-monitoring/io.ts);
every GPU figure comes from Prometheus, not from the Kubernetes API.
*/}}
{{- define "feature.clusterRules" -}}
- apiGroups: [""]
  resources: [namespaces]
  verbs: [get, list, watch]
{{- end -}}

{{- define "feature.namespaceRules" -}}
{{- end -}}
