{{/*
Names and labels, in the cost-onprem chart's style (cost-onprem.name/fullname/chart/labels/selectorLabels).
*/}}

{{/* The chart name, or nameOverride. */}}
{{- define "thanos-bridge.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The resource name: fullnameOverride, else the release name when it contains the chart name, else
"<release>-<chart name>", truncated to 63 characters (DNS label limit).
*/}}
{{- define "thanos-bridge.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* "<chart>-<version>" for the helm.sh/chart label. */}}
{{- define "thanos-bridge.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of every resource. helm.sh/chart and the version stay out of the selector labels. */}}
{{- define "thanos-bridge.labels" -}}
helm.sh/chart: {{ include "thanos-bridge.chart" . }}
{{ include "thanos-bridge.selectorLabels" . }}
app.kubernetes.io/part-of: cost-onprem
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Labels that select the bridge's pod; they never change between upgrades. */}}
{{- define "thanos-bridge.selectorLabels" -}}
app.kubernetes.io/name: {{ include "thanos-bridge.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: thanos-bridge
{{- end -}}

{{/*
Labels of the objects the multicluster-observability-addon collects with its platform PrometheusAgent: the chart's
labels, except that the component is the addon's platform-metrics-collector (the label the addon requires).
*/}}
{{- define "thanos-bridge.platformMetricsCollectorLabels" -}}
helm.sh/chart: {{ include "thanos-bridge.chart" . }}
app.kubernetes.io/name: {{ include "thanos-bridge.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: platform-metrics-collector
app.kubernetes.io/part-of: cost-onprem
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* The ServiceAccount's name. */}}
{{- define "thanos-bridge.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "thanos-bridge.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
The name of auto-registration's ClusterRole and ClusterRoleBinding: cluster-scoped, so the release namespace is part of
it (two releases of the same name in two namespaces must not share one).
*/}}
{{- define "thanos-bridge.clusterRoleName" -}}
{{- printf "%s-%s-managedclusters" .Release.Namespace (include "thanos-bridge.fullname" .) | trunc 253 | trimSuffix "-" -}}
{{- end -}}

{{/* The image reference; the tag defaults to the chart's appVersion. */}}
{{- define "thanos-bridge.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/*
Pod security context (cost-onprem's securityContext.pod.nonRoot): never root, seccomp RuntimeDefault. No fixed
uid: OpenShift's restricted-v2 SCC assigns one, elsewhere the image's non-root user 1654 applies.
*/}}
{{- define "thanos-bridge.securityContext.pod" -}}
runAsNonRoot: true
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/*
Container security context (cost-onprem's securityContext.container.nonRoot): no privilege escalation, every
capability dropped, read-only root filesystem (the only writable paths are the /tmp and data volumes).
*/}}
{{- define "thanos-bridge.securityContext.container" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Mount paths of the files the bridge reads. */}}
{{- define "thanos-bridge.paths.thanosToken" -}}/var/run/secrets/thanos-bridge/thanos-token{{- end -}}
{{- define "thanos-bridge.paths.thanosCa" -}}/etc/thanos-bridge/thanos-ca{{- end -}}
{{- define "thanos-bridge.paths.s3Ca" -}}/etc/thanos-bridge/s3-ca{{- end -}}
{{- define "thanos-bridge.paths.kafkaCa" -}}/etc/kafka/certs{{- end -}}
{{- define "thanos-bridge.paths.data" -}}/var/lib/thanos-bridge{{- end -}}

{{/* THANOS_BRIDGE_CLUSTERS: "id=org,id=org". */}}
{{- define "thanos-bridge.clusters" -}}
{{- $pairs := list -}}
{{- range .Values.clusters -}}
{{- $pairs = append $pairs (printf "%s=%s" .id .orgId) -}}
{{- end -}}
{{- join "," $pairs -}}
{{- end -}}

{{/* S3_ENDPOINT: scheme, host and port. */}}
{{- define "thanos-bridge.s3Endpoint" -}}
{{- printf "%s://%s:%d" (ternary "https" "http" .Values.objectStorage.useSSL) .Values.objectStorage.endpoint (int .Values.objectStorage.port) -}}
{{- end -}}

{{/*
The combinations the schema cannot express. The bridge would reject them at start-up too; failing at render time
says so before anything is deployed.
*/}}
{{- define "thanos-bridge.validate" -}}
{{- $url := required "thanosQueryUrl is required: the Thanos Query URL on the hub" .Values.thanosQueryUrl -}}
{{- if and .Values.database.host (gt (len .Values.clusters) 0) -}}
{{- fail "clusters must be empty when database.host is set: clusters are then discovered from koku's database" -}}
{{- end -}}
{{- if and (not .Values.database.host) (eq (len .Values.clusters) 0) -}}
{{- fail "set database.host (koku's database) or list the clusters in clusters" -}}
{{- end -}}
{{- if .Values.database.host -}}
{{- $db := required "database.secretName is required with database.host: the Secret with koku's database credentials" .Values.database.secretName -}}
{{- end -}}
{{- if ne (empty .Values.objectStorage.endpoint) (empty .Values.kafka.bootstrapServers) -}}
{{- fail "objectStorage.endpoint and kafka.bootstrapServers go together: S3 and Kafka deliver together, set both or neither" -}}
{{- end -}}
{{- if .Values.objectStorage.endpoint -}}
{{- $s3 := required "objectStorage.secretName is required with objectStorage.endpoint: the Secret with the S3 keys" .Values.objectStorage.secretName -}}
{{- end -}}
{{- if .Values.kafka.sasl.mechanism -}}
{{- $sasl := required "kafka.sasl.existingSecret is required with kafka.sasl.mechanism" .Values.kafka.sasl.existingSecret -}}
{{- end -}}
{{- if .Values.kafka.tls.enabled -}}
{{- $kca := required "kafka.tls.caCertSecret is required with kafka.tls.enabled" .Values.kafka.tls.caCertSecret -}}
{{- end -}}
{{- if .Values.autoRegistration.enabled -}}
{{- $kokuApi := required "autoRegistration.kokuApiUrl is required with autoRegistration.enabled: the root URL of koku's API, e.g. http://cost-onprem-koku-api:8000" .Values.autoRegistration.kokuApiUrl -}}
{{- $org := required "autoRegistration.orgId is required with autoRegistration.enabled: the koku org the clusters are registered in" .Values.autoRegistration.orgId -}}
{{- if not .Values.database.host -}}
{{- fail "autoRegistration.enabled needs database.host: the bridge reads koku's sources from koku's database" -}}
{{- end -}}
{{- end -}}
{{- if and .Values.thanos.token.existingSecret .Values.thanos.token.serviceAccountToken -}}
{{- fail "thanos.token: set existingSecret or serviceAccountToken, not both" -}}
{{- end -}}
{{- if and .Values.thanos.ca.existingSecret .Values.thanos.ca.existingConfigMap -}}
{{- fail "thanos.ca: set existingSecret or existingConfigMap, not both" -}}
{{- end -}}
{{- if and .Values.thanos.insecureSkipVerify (or .Values.thanos.ca.existingSecret .Values.thanos.ca.existingConfigMap) -}}
{{- fail "thanos.insecureSkipVerify would ignore thanos.ca: set one" -}}
{{- end -}}
{{- if and .Values.objectStorage.caBundle.existingSecret .Values.objectStorage.caBundle.existingConfigMap -}}
{{- fail "objectStorage.caBundle: set existingSecret or existingConfigMap, not both" -}}
{{- end -}}
{{- if eq (int .Values.ports.http) (int .Values.ports.metrics) -}}
{{- fail "ports.http and ports.metrics must differ" -}}
{{- end -}}
{{- end -}}

{{/* A CA volume from a Secret or a ConfigMap ({name, ca: {existingSecret, existingConfigMap, key}}). */}}
{{- define "thanos-bridge.caVolume" -}}
- name: {{ .name }}
{{- if .ca.existingSecret }}
  secret:
    secretName: {{ .ca.existingSecret }}
{{- else }}
  configMap:
    name: {{ .ca.existingConfigMap }}
{{- end }}
    items:
      - key: {{ .ca.key }}
        path: ca.crt
{{- end -}}

{{/* A NetworkPolicy egress rule ({to: peers, ports: [port], protocols: [TCP|UDP]}); no peers means any address. */}}
{{- define "thanos-bridge.egressRule" -}}
- ports:
{{- range $port := .ports }}
{{- range $protocol := $.protocols }}
    - protocol: {{ $protocol }}
      port: {{ $port }}
{{- end }}
{{- end }}
{{- if .to }}
  to:
{{- toYaml .to | nindent 4 }}
{{- end }}
{{- end -}}
