{{/*
What gpu-quota's service account may do besides checking callers (rbac.yaml in charts/_common adds TokenReview and
SubjectAccessReview). Read by backend/src/features/gpu-quota/kube-io.ts and the writers beside it.
*/}}
{{- define "feature.clusterRules" -}}
# Usage and capacity: nodes, the projects (namespaces with a workspace label), pods and why they are blocked.
- apiGroups: [""]
  resources: [nodes, namespaces, pods]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [events]
  verbs: [list]
# max: each project's ResourceQuota, written with server-side apply and removed only when ours.
- apiGroups: [""]
  resources: [resourcequotas]
  verbs: [get, list, watch, create, update, patch, delete]
# Workspace quotas where KubeSphere keeps them (quota.kubesphere.io ResourceQuota, cluster-scoped).
- apiGroups: [quota.kubesphere.io]
  resources: [resourcequotas]
  verbs: [get, list, watch, create, update, patch, delete]
# Which scheduler can enforce base is told by its CRDs being installed (docs/adr/0009).
- apiGroups: [apiextensions.k8s.io]
  resources: [customresourcedefinitions]
  verbs: [get, list]
# base: Kueue's queues and flavors, or Volcano's queues, whichever enforces it.
- apiGroups: [kueue.x-k8s.io]
  resources: [clusterqueues, localqueues, resourceflavors]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [scheduling.volcano.sh]
  resources: [queues]
  verbs: [get, list, watch, create, update, patch, delete]
{{- end -}}

{{- define "feature.namespaceRules" -}}
# The write lock and each project's holdings, in the backend's own namespace only (docs/adr/0013).
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get, list, watch, create, update, patch, delete]
{{- end -}}
