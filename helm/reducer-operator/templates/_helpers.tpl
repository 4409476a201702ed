{{/* The chart name, or nameOverride. */}}
{{- define "reducer-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The name of every object: fullnameOverride, else the release name (with the chart name unless it holds it). */}}
{{- define "reducer-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "reducer-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "reducer-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels that select the operator's pods. */}}
{{- define "reducer-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "reducer-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The operator's ServiceAccount. */}}
{{- define "reducer-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "reducer-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* "true" when watchNamespaces is ["*"]; fails on "*" mixed with namespaces. */}}
{{- define "reducer-operator.watchesAll" -}}
{{- if has "*" .Values.watchNamespaces }}
{{- if gt (len .Values.watchNamespaces) 1 }}
{{- fail "watchNamespaces: \"*\" (all namespaces) cannot be combined with named namespaces" }}
{{- end }}
{{- true }}
{{- end }}
{{- end }}

{{/* The watched namespaces as a JSON list: watchNamespaces without repeats, or the release namespace when empty. */}}
{{- define "reducer-operator.watchedNamespaces" -}}
{{- if .Values.watchNamespaces }}
{{- uniq .Values.watchNamespaces | toJson }}
{{- else }}
{{- list .Release.Namespace | toJson }}
{{- end }}
{{- end }}

{{/* WATCH_NAMESPACES: "*", or the watched namespaces separated by commas. */}}
{{- define "reducer-operator.watchNamespacesEnv" -}}
{{- if include "reducer-operator.watchesAll" . }}*{{ else }}{{ include "reducer-operator.watchedNamespaces" . | fromJsonArray | join "," }}{{ end }}
{{- end }}

{{/* An image reference from {repository, tag}; an empty tag is the chart's appVersion. */}}
{{- define "reducer-operator.image" -}}
{{- $image := index . 0 }}
{{- $root := index . 1 }}
{{- printf "%s:%s" $image.repository (default $root.Chart.AppVersion $image.tag) }}
{{- end }}

{{/*
What the operator does in each watched namespace, and nothing more (docs/install.md explains each rule). The same
rules form the Role of each watched namespace or, with watchNamespaces ["*"], the ClusterRole.
*/}}
{{- define "reducer-operator.rules" -}}
# Reconcile the four kinds: informers list and watch them. A reset reads its pipeline and projection by name, and a
# held projection reads a reset that is not cached (yet, or any more) by name; no DlqReplay is read by name.
- apiGroups: ["reducer.io"]
  resources: ["reducerpipelines", "projections", "watermarkresets"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["reducer.io"]
  resources: ["dlqreplays"]
  verbs: ["list", "watch"]
# Status is written only through the status subresource, as a JSON patch.
- apiGroups: ["reducer.io"]
  resources: ["reducerpipelines/status", "projections/status", "watermarkresets/status", "dlqreplays/status"]
  verbs: ["patch"]
# A WatermarkReset holds its projection, or its pipeline's reducers, at zero replicas with an annotation (metadata,
# never spec).
- apiGroups: ["reducer.io"]
  resources: ["projections", "reducerpipelines"]
  verbs: ["patch"]
# Finished one-shot resources beyond finishedHistoryLimit are deleted.
- apiGroups: ["reducer.io"]
  resources: ["watermarkresets", "dlqreplays"]
  verbs: ["delete"]
# A WatermarkReset carries a finalizer, so deleting a Shadow rebuild before its cutover discards the shadow first.
- apiGroups: ["reducer.io"]
  resources: ["watermarkresets"]
  verbs: ["patch"]
# Each Projection owns its materializer Deployment, each pipeline its reducer Deployment: created, then scaled and
# updated by patch; a reset of the reducers reads theirs by name. A Shadow rebuild owns its shadow materializers'
# Deployment and deletes it after the cutover or when discarding.
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
# Replays and resets run as Jobs; a cancelled replay's Jobs are deleted.
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "create", "delete"]
# A Job's pods are listed for their termination message or why they cannot start; a reset lists a workload's pods
# to tell the consumer group members of pods that are gone; materializer pods (only those, by label) are watched to
# say on the Projection why they do not become ready.
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list", "watch"]
# Kafka and PostgreSQL credentials are read by name from the Secrets a pipeline references (no list, no watch).
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get"]
# Events on the custom resources; a repeated Event has its count raised.
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "get", "patch"]
{{- end }}
