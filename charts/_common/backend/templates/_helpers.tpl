{{/* Shared by every extension's backend subchart (charts/_common, copied in at package time). */}}

{{/* The name of the backend's objects: one backend per extension, so the feature names them. */}}
{{- define "backend.fullname" -}}
{{- printf "%s-backend" .Values.feature | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "backend.apiGroup" -}}
{{- printf "%s.ks-gpu-ml.io" .Values.feature -}}
{{- end -}}

{{- define "backend.labels" -}}
app.kubernetes.io/name: {{ include "backend.fullname" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: ks-gpu-ml
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | default .Chart.Version | quote }}
{{- end -}}

{{- define "backend.selectorLabels" -}}
app.kubernetes.io/name: {{ include "backend.fullname" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/*
The image, prefixed with global.imageRegistry when KubeSphere sets it (extension.imageRegistry of ks-core;
ksbuilder lint checks every container honours it), else with the chart's own registry.
*/}}
{{- define "backend.image" -}}
{{- $registry := .Values.global.imageRegistry | default .Values.image.registry -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion | default .Chart.Version -}}
{{- if $registry -}}
{{- printf "%s/%s:%s" $registry .Values.image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* Pull secrets of the chart and the global ones, by name only. */}}
{{- define "backend.imagePullSecrets" -}}
{{- $names := concat (.Values.global.imagePullSecrets | default list) (.Values.imagePullSecrets | default list) -}}
{{- with $names }}
imagePullSecrets:
{{- range . }}
  - name: {{ if kindIs "map" . }}{{ .name }}{{ else }}{{ . }}{{ end }}
{{- end }}
{{- end }}
{{- end -}}

{{/* global.nodeSelector (set by KubeSphere) merged over the chart's own; ksbuilder lint checks every pod has it. */}}
{{- define "backend.nodeSelector" -}}
{{- $merged := merge (deepCopy (.Values.global.nodeSelector | default dict)) (.Values.nodeSelector | default dict) -}}
{{- with $merged }}
nodeSelector:
{{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{- define "backend.tlsSecretName" -}}
{{- .Values.tls.existingSecret | default (printf "%s-tls" (include "backend.fullname" .)) -}}
{{- end -}}

{{- /* The volume (and directory) of a secretFiles entry: its setting's name as a DNS label, e.g. alert-intake-token-file. */ -}}
{{- define "backend.secretVolume" -}}
{{- . | lower | replace "_" "-" | trunc 63 | trimSuffix "-" -}}
{{- end -}}
