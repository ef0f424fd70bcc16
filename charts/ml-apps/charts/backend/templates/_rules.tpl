{{/*
What ml-apps's service account may do besides checking callers (rbac.yaml in charts/_common): nothing yet; the
feature adds its rules here as its backend lands.
*/}}
{{- define "feature.clusterRules" -}}
{{- end -}}

{{- define "feature.namespaceRules" -}}
{{- end -}}
