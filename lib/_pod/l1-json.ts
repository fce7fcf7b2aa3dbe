/**
 * The Kubernetes 1.27 L1 `toJson_*` functions the library's renderings run, made without their
 * per-object cost: those the injection step calls for every rendering of a part (a container,
 * its security context, resources, probes, env, mounts, volumes; the pod's security context), and
 * the props of the L1 classes a workload renders through (Deployment, Pod, StatefulSet,
 * DaemonSet, Job, CronJob; ConfigMap and Service): each generated function builds an object of
 * every field, then copies it once per defined field (`reduce` with an object spread), so a
 * container costs a few dozen objects and a pod spec some hundred. These read the same fields in
 * the same order, convert each the same way (a list copied, a union's `value`, a map of
 * quantities or strings, a date, a nested type) and write only the defined ones: the same result,
 * key order included. Input they cannot convert so (a list that is not one, a null object) is
 * converted by the L1 function itself, which is pure: the same result or error as if it had been
 * called first. A field of a type not modelled here is converted by the L1 function itself too.
 * A type's first conversions read its table; past {@link COMPILE_AFTER}, a function made from the
 * table converts it (one read per field at its own site). test/l1-json.test.ts checks, for each
 * type, that the fields are those the L1 function reads, in its order, and compares results and
 * errors on arbitrary input, both ways; and each class's rendering with its `toJson`.
 */
import { ApiObject } from 'cdk8s';
import * as k8s from '../_k8s';

/** How an L1 field becomes JSON. */
type Conv =
  | 'as-is' // obj.f
  | 'list' // obj.f?.map(y => y)
  | 'value' // obj.f?.value (IntOrString, Quantity)
  | 'value-map' // a map of quantities: each defined entry's value
  | 'string-map' // a map of strings: each defined entry
  | 'date' // obj.f?.toISOString()
  | { readonly type: L1Type } // toJson_T(obj.f)
  | { readonly listOf: L1Type } // obj.f?.map(y => toJson_T(y))
  | { readonly l1: (v: any) => any } // the L1 function itself
  | { readonly l1List: (v: any) => any };

/** A type's fields, in the order its L1 function reads them: [JSON name, L1 name, conversion]. */
export type L1Type = ReadonlyArray<readonly [string, string, Conv]>;

/** Converts `obj` of an L1 type as its `toJson_*` function does. */
export function toJsonOf(type: L1Type, obj: any): Record<string, any> | undefined {
  return converterOf(type)(obj);
}

/** Conversions of a type made by reading its table ({@link interpreted}) before one is made from it ({@link compiled}). */
export const COMPILE_AFTER = 16;

/** The converter of each type, made once. */
const CONVERTERS = new WeakMap<L1Type, (obj: any) => Record<string, any> | undefined>();

/**
 * The converter of an L1 type: its first {@link COMPILE_AFTER} conversions read the table
 * ({@link interpreted}: nothing to make, what a small app wants), the rest run a function made
 * from it ({@link compiled}: what an app of many workloads wants). Both convert alike.
 */
function converterOf(type: L1Type): (obj: any) => Record<string, any> | undefined {
  let converter = CONVERTERS.get(type);
  if (converter !== undefined) return converter;
  let calls = 0;
  let made: ((obj: any) => Record<string, any> | undefined) | undefined;
  converter = (obj) => {
    if (made !== undefined) return made(obj);
    if (++calls > COMPILE_AFTER) return (made = compiled(type))(obj);
    return interpreted(type, obj);
  };
  CONVERTERS.set(type, converter);
  return converter;
}

/** Converts `obj` of an L1 type by reading its table, field by field. */
export function interpreted(type: L1Type, obj: any): Record<string, any> | undefined {
  if (obj === undefined) return undefined;
  const out: Record<string, any> = {};
  for (let i = 0; i < type.length; i++) {
    const [json, l1, conv] = type[i];
    const v = obj[l1];
    let x: any;
    if (conv === 'as-is') x = v;
    else if (conv === 'list') x = v?.map((y: any) => y);
    else if (conv === 'value') x = v?.value;
    else if (conv === 'value-map') x = v === undefined ? undefined : valueMap(v, true);
    else if (conv === 'string-map') x = v === undefined ? undefined : valueMap(v, false);
    else if (conv === 'date') x = v?.toISOString();
    else if ('type' in conv) x = converterOf(conv.type)(v);
    else if ('listOf' in conv) x = v?.map((y: any) => converterOf(conv.listOf)(y));
    else if ('l1' in conv) x = conv.l1(v);
    else x = v?.map((y: any) => conv.l1List(y));
    if (x !== undefined) out[json] = x;
  }
  return out;
}

/**
 * A function made from an L1 type's table, one statement per field (as the generated function
 * reads it, each field read at its own site, so V8 keeps each read fast), converting each as
 * {@link Conv} says. Made from the table alone (JSON names and L1 names written as string
 * literals; nested types' converters, maps and L1 functions handed in), never from input.
 */
export function compiled(type: L1Type): (obj: any) => Record<string, any> | undefined {
  const deps: unknown[] = [];
  const dep = (f: unknown) => `d[${deps.push(f) - 1}]`;
  const body = ['if (obj === undefined) return undefined;', 'const out = {};', 'let v, x;'];
  for (const [json, l1, conv] of type) {
    let x: string;
    if (conv === 'as-is') x = 'v';
    else if (conv === 'list') x = 'v?.map((y) => y)';
    else if (conv === 'value') x = 'v?.value';
    else if (conv === 'value-map') x = `v === undefined ? undefined : ${dep(valueMap)}(v, true)`;
    else if (conv === 'string-map') x = `v === undefined ? undefined : ${dep(valueMap)}(v, false)`;
    else if (conv === 'date') x = 'v?.toISOString()';
    else if ('type' in conv) x = `${dep(converterOf(conv.type))}(v)`;
    else if ('listOf' in conv) x = `v?.map((y) => ${dep(converterOf(conv.listOf))}(y))`;
    else if ('l1' in conv) x = `${dep(conv.l1)}(v)`;
    else x = `v?.map((y) => ${dep(conv.l1List)}(y))`;
    body.push(`v = obj[${JSON.stringify(l1)}];`, `x = ${x};`, `if (x !== undefined) out[${JSON.stringify(json)}] = x;`);
  }
  body.push('return out;');
  return new Function('d', `return function convert(obj) {\n${body.join('\n')}\n};`)(deps) as (obj: any) => Record<string, any> | undefined;
}

/**
 * `Object.entries(m).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1]?.value }), {})`
 * (a map of quantities), or without `?.value` (a map of strings) when `values` is false.
 */
function valueMap(m: any, values: boolean): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [k, e] of Object.entries(m)) {
    if (e === undefined) continue;
    const x = values ? (e as any)?.value : e;
    // a spread's computed key defines an own property, also "__proto__" (an assignment would set the prototype)
    if (k === '__proto__') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
    else out[k] = x;
  }
  return out;
}

export const SE_LINUX_OPTIONS: L1Type = [['level', 'level', 'as-is'], ['role', 'role', 'as-is'], ['type', 'type', 'as-is'], ['user', 'user', 'as-is']];
export const SECCOMP_PROFILE: L1Type = [['localhostProfile', 'localhostProfile', 'as-is'], ['type', 'type', 'as-is']];
export const WINDOWS_OPTIONS: L1Type = [
  ['gmsaCredentialSpec', 'gmsaCredentialSpec', 'as-is'], ['gmsaCredentialSpecName', 'gmsaCredentialSpecName', 'as-is'],
  ['hostProcess', 'hostProcess', 'as-is'], ['runAsUserName', 'runAsUserName', 'as-is'],
];
export const CAPABILITIES: L1Type = [['add', 'add', 'list'], ['drop', 'drop', 'list']];
export const SECURITY_CONTEXT: L1Type = [
  ['allowPrivilegeEscalation', 'allowPrivilegeEscalation', 'as-is'], ['capabilities', 'capabilities', { type: CAPABILITIES }],
  ['privileged', 'privileged', 'as-is'], ['procMount', 'procMount', 'as-is'], ['readOnlyRootFilesystem', 'readOnlyRootFilesystem', 'as-is'],
  ['runAsGroup', 'runAsGroup', 'as-is'], ['runAsNonRoot', 'runAsNonRoot', 'as-is'], ['runAsUser', 'runAsUser', 'as-is'],
  ['seLinuxOptions', 'seLinuxOptions', { type: SE_LINUX_OPTIONS }], ['seccompProfile', 'seccompProfile', { type: SECCOMP_PROFILE }],
  ['windowsOptions', 'windowsOptions', { type: WINDOWS_OPTIONS }],
];
export const POD_SECURITY_CONTEXT: L1Type = [
  ['fsGroup', 'fsGroup', 'as-is'], ['fsGroupChangePolicy', 'fsGroupChangePolicy', 'as-is'], ['runAsGroup', 'runAsGroup', 'as-is'],
  ['runAsNonRoot', 'runAsNonRoot', 'as-is'], ['runAsUser', 'runAsUser', 'as-is'],
  ['seLinuxOptions', 'seLinuxOptions', { type: SE_LINUX_OPTIONS }], ['seccompProfile', 'seccompProfile', { type: SECCOMP_PROFILE }],
  ['supplementalGroups', 'supplementalGroups', 'list'], ['sysctls', 'sysctls', { l1List: k8s.toJson_Sysctl }],
  ['windowsOptions', 'windowsOptions', { type: WINDOWS_OPTIONS }],
];
export const RESOURCE_REQUIREMENTS: L1Type = [
  ['claims', 'claims', { l1List: k8s.toJson_ResourceClaim }], ['limits', 'limits', 'value-map'], ['requests', 'requests', 'value-map'],
];
export const EXEC_ACTION: L1Type = [['command', 'command', 'list']];
export const HTTP_GET_ACTION: L1Type = [
  ['host', 'host', 'as-is'], ['httpHeaders', 'httpHeaders', { l1List: k8s.toJson_HttpHeader }], ['path', 'path', 'as-is'],
  ['port', 'port', 'value'], ['scheme', 'scheme', 'as-is'],
];
export const TCP_SOCKET_ACTION: L1Type = [['host', 'host', 'as-is'], ['port', 'port', 'value']];
export const PROBE: L1Type = [
  ['exec', 'exec', { type: EXEC_ACTION }], ['failureThreshold', 'failureThreshold', 'as-is'], ['grpc', 'grpc', { l1: k8s.toJson_GrpcAction }],
  ['httpGet', 'httpGet', { type: HTTP_GET_ACTION }], ['initialDelaySeconds', 'initialDelaySeconds', 'as-is'], ['periodSeconds', 'periodSeconds', 'as-is'],
  ['successThreshold', 'successThreshold', 'as-is'], ['tcpSocket', 'tcpSocket', { type: TCP_SOCKET_ACTION }],
  ['terminationGracePeriodSeconds', 'terminationGracePeriodSeconds', 'as-is'], ['timeoutSeconds', 'timeoutSeconds', 'as-is'],
];
export const LIFECYCLE_HANDLER: L1Type = [
  ['exec', 'exec', { type: EXEC_ACTION }], ['httpGet', 'httpGet', { type: HTTP_GET_ACTION }], ['tcpSocket', 'tcpSocket', { type: TCP_SOCKET_ACTION }],
];
export const LIFECYCLE: L1Type = [['postStart', 'postStart', { type: LIFECYCLE_HANDLER }], ['preStop', 'preStop', { type: LIFECYCLE_HANDLER }]];
export const ENV_VAR: L1Type = [['name', 'name', 'as-is'], ['value', 'value', 'as-is'], ['valueFrom', 'valueFrom', { l1: k8s.toJson_EnvVarSource }]];
export const CONTAINER_PORT: L1Type = [
  ['containerPort', 'containerPort', 'as-is'], ['hostIP', 'hostIp', 'as-is'], ['hostPort', 'hostPort', 'as-is'], ['name', 'name', 'as-is'],
  ['protocol', 'protocol', 'as-is'],
];
export const VOLUME_MOUNT: L1Type = [
  ['mountPath', 'mountPath', 'as-is'], ['mountPropagation', 'mountPropagation', 'as-is'], ['name', 'name', 'as-is'],
  ['readOnly', 'readOnly', 'as-is'], ['subPath', 'subPath', 'as-is'], ['subPathExpr', 'subPathExpr', 'as-is'],
];
export const CONTAINER: L1Type = [
  ['args', 'args', 'list'], ['command', 'command', 'list'], ['env', 'env', { listOf: ENV_VAR }],
  ['envFrom', 'envFrom', { l1List: k8s.toJson_EnvFromSource }], ['image', 'image', 'as-is'], ['imagePullPolicy', 'imagePullPolicy', 'as-is'],
  ['lifecycle', 'lifecycle', { type: LIFECYCLE }], ['livenessProbe', 'livenessProbe', { type: PROBE }], ['name', 'name', 'as-is'],
  ['ports', 'ports', { listOf: CONTAINER_PORT }], ['readinessProbe', 'readinessProbe', { type: PROBE }],
  ['resizePolicy', 'resizePolicy', { l1List: k8s.toJson_ContainerResizePolicy }], ['resources', 'resources', { type: RESOURCE_REQUIREMENTS }],
  ['securityContext', 'securityContext', { type: SECURITY_CONTEXT }], ['startupProbe', 'startupProbe', { type: PROBE }],
  ['stdin', 'stdin', 'as-is'], ['stdinOnce', 'stdinOnce', 'as-is'], ['terminationMessagePath', 'terminationMessagePath', 'as-is'],
  ['terminationMessagePolicy', 'terminationMessagePolicy', 'as-is'], ['tty', 'tty', 'as-is'],
  ['volumeDevices', 'volumeDevices', { l1List: k8s.toJson_VolumeDevice }], ['volumeMounts', 'volumeMounts', { listOf: VOLUME_MOUNT }],
  ['workingDir', 'workingDir', 'as-is'],
];

// what a pod-bearing object's rendering converts (lib/_pod/inject.ts renders a workload with these)
export const EMPTY_DIR_VOLUME_SOURCE: L1Type = [
  ['medium', 'medium', 'as-is'], ['sizeLimit', 'sizeLimit', 'value'],
];
export const KEY_TO_PATH: L1Type = [
  ['key', 'key', 'as-is'], ['mode', 'mode', 'as-is'], ['path', 'path', 'as-is'],
];
export const CONFIG_MAP_VOLUME_SOURCE: L1Type = [
  ['defaultMode', 'defaultMode', 'as-is'], ['items', 'items', { listOf: KEY_TO_PATH }], ['name', 'name', 'as-is'],
  ['optional', 'optional', 'as-is'],
];
export const VOLUME: L1Type = [
  ['awsElasticBlockStore', 'awsElasticBlockStore', { l1: k8s.toJson_AwsElasticBlockStoreVolumeSource }],
  ['azureDisk', 'azureDisk', { l1: k8s.toJson_AzureDiskVolumeSource }],
  ['azureFile', 'azureFile', { l1: k8s.toJson_AzureFileVolumeSource }],
  ['cephfs', 'cephfs', { l1: k8s.toJson_CephFsVolumeSource }],
  ['cinder', 'cinder', { l1: k8s.toJson_CinderVolumeSource }],
  ['configMap', 'configMap', { type: CONFIG_MAP_VOLUME_SOURCE }], ['csi', 'csi', { l1: k8s.toJson_CsiVolumeSource }],
  ['downwardAPI', 'downwardApi', { l1: k8s.toJson_DownwardApiVolumeSource }],
  ['emptyDir', 'emptyDir', { type: EMPTY_DIR_VOLUME_SOURCE }],
  ['ephemeral', 'ephemeral', { l1: k8s.toJson_EphemeralVolumeSource }], ['fc', 'fc', { l1: k8s.toJson_FcVolumeSource }],
  ['flexVolume', 'flexVolume', { l1: k8s.toJson_FlexVolumeSource }],
  ['flocker', 'flocker', { l1: k8s.toJson_FlockerVolumeSource }],
  ['gcePersistentDisk', 'gcePersistentDisk', { l1: k8s.toJson_GcePersistentDiskVolumeSource }],
  ['gitRepo', 'gitRepo', { l1: k8s.toJson_GitRepoVolumeSource }],
  ['glusterfs', 'glusterfs', { l1: k8s.toJson_GlusterfsVolumeSource }],
  ['hostPath', 'hostPath', { l1: k8s.toJson_HostPathVolumeSource }],
  ['iscsi', 'iscsi', { l1: k8s.toJson_IscsiVolumeSource }], ['name', 'name', 'as-is'],
  ['nfs', 'nfs', { l1: k8s.toJson_NfsVolumeSource }],
  ['persistentVolumeClaim', 'persistentVolumeClaim', { l1: k8s.toJson_PersistentVolumeClaimVolumeSource }],
  ['photonPersistentDisk', 'photonPersistentDisk', { l1: k8s.toJson_PhotonPersistentDiskVolumeSource }],
  ['portworxVolume', 'portworxVolume', { l1: k8s.toJson_PortworxVolumeSource }],
  ['projected', 'projected', { l1: k8s.toJson_ProjectedVolumeSource }],
  ['quobyte', 'quobyte', { l1: k8s.toJson_QuobyteVolumeSource }], ['rbd', 'rbd', { l1: k8s.toJson_RbdVolumeSource }],
  ['scaleIO', 'scaleIo', { l1: k8s.toJson_ScaleIoVolumeSource }],
  ['secret', 'secret', { l1: k8s.toJson_SecretVolumeSource }],
  ['storageos', 'storageos', { l1: k8s.toJson_StorageOsVolumeSource }],
  ['vsphereVolume', 'vsphereVolume', { l1: k8s.toJson_VsphereVirtualDiskVolumeSource }],
];
export const LABEL_SELECTOR: L1Type = [
  ['matchExpressions', 'matchExpressions', { l1List: k8s.toJson_LabelSelectorRequirement }],
  ['matchLabels', 'matchLabels', 'string-map'],
];
export const OBJECT_META: L1Type = [
  ['annotations', 'annotations', 'string-map'], ['creationTimestamp', 'creationTimestamp', 'date'],
  ['deletionGracePeriodSeconds', 'deletionGracePeriodSeconds', 'as-is'],
  ['deletionTimestamp', 'deletionTimestamp', 'date'], ['finalizers', 'finalizers', 'list'],
  ['generateName', 'generateName', 'as-is'], ['generation', 'generation', 'as-is'], ['labels', 'labels', 'string-map'],
  ['managedFields', 'managedFields', { l1List: k8s.toJson_ManagedFieldsEntry }], ['name', 'name', 'as-is'],
  ['namespace', 'namespace', 'as-is'], ['ownerReferences', 'ownerReferences', { l1List: k8s.toJson_OwnerReference }],
  ['resourceVersion', 'resourceVersion', 'as-is'], ['selfLink', 'selfLink', 'as-is'], ['uid', 'uid', 'as-is'],
];
export const POD_SPEC: L1Type = [
  ['activeDeadlineSeconds', 'activeDeadlineSeconds', 'as-is'], ['affinity', 'affinity', { l1: k8s.toJson_Affinity }],
  ['automountServiceAccountToken', 'automountServiceAccountToken', 'as-is'],
  ['containers', 'containers', { listOf: CONTAINER }], ['dnsConfig', 'dnsConfig', { l1: k8s.toJson_PodDnsConfig }],
  ['dnsPolicy', 'dnsPolicy', 'as-is'], ['enableServiceLinks', 'enableServiceLinks', 'as-is'],
  ['ephemeralContainers', 'ephemeralContainers', { l1List: k8s.toJson_EphemeralContainer }],
  ['hostAliases', 'hostAliases', { l1List: k8s.toJson_HostAlias }], ['hostIPC', 'hostIpc', 'as-is'],
  ['hostNetwork', 'hostNetwork', 'as-is'], ['hostPID', 'hostPid', 'as-is'], ['hostUsers', 'hostUsers', 'as-is'],
  ['hostname', 'hostname', 'as-is'],
  ['imagePullSecrets', 'imagePullSecrets', { l1List: k8s.toJson_LocalObjectReference }],
  ['initContainers', 'initContainers', { listOf: CONTAINER }], ['nodeName', 'nodeName', 'as-is'],
  ['nodeSelector', 'nodeSelector', 'string-map'], ['os', 'os', { l1: k8s.toJson_PodOs }],
  ['overhead', 'overhead', 'value-map'], ['preemptionPolicy', 'preemptionPolicy', 'as-is'],
  ['priority', 'priority', 'as-is'], ['priorityClassName', 'priorityClassName', 'as-is'],
  ['readinessGates', 'readinessGates', { l1List: k8s.toJson_PodReadinessGate }],
  ['resourceClaims', 'resourceClaims', { l1List: k8s.toJson_PodResourceClaim }],
  ['restartPolicy', 'restartPolicy', 'as-is'], ['runtimeClassName', 'runtimeClassName', 'as-is'],
  ['schedulerName', 'schedulerName', 'as-is'],
  ['schedulingGates', 'schedulingGates', { l1List: k8s.toJson_PodSchedulingGate }],
  ['securityContext', 'securityContext', { type: POD_SECURITY_CONTEXT }], ['serviceAccount', 'serviceAccount', 'as-is'],
  ['serviceAccountName', 'serviceAccountName', 'as-is'], ['setHostnameAsFQDN', 'setHostnameAsFqdn', 'as-is'],
  ['shareProcessNamespace', 'shareProcessNamespace', 'as-is'], ['subdomain', 'subdomain', 'as-is'],
  ['terminationGracePeriodSeconds', 'terminationGracePeriodSeconds', 'as-is'],
  ['tolerations', 'tolerations', { l1List: k8s.toJson_Toleration }],
  ['topologySpreadConstraints', 'topologySpreadConstraints', { l1List: k8s.toJson_TopologySpreadConstraint }],
  ['volumes', 'volumes', { listOf: VOLUME }],
];
export const POD_TEMPLATE_SPEC: L1Type = [
  ['metadata', 'metadata', { type: OBJECT_META }], ['spec', 'spec', { type: POD_SPEC }],
];
export const ROLLING_UPDATE_DEPLOYMENT: L1Type = [
  ['maxSurge', 'maxSurge', 'value'], ['maxUnavailable', 'maxUnavailable', 'value'],
];
export const DEPLOYMENT_STRATEGY: L1Type = [
  ['rollingUpdate', 'rollingUpdate', { type: ROLLING_UPDATE_DEPLOYMENT }], ['type', 'type', 'as-is'],
];
export const DEPLOYMENT_SPEC: L1Type = [
  ['minReadySeconds', 'minReadySeconds', 'as-is'], ['paused', 'paused', 'as-is'],
  ['progressDeadlineSeconds', 'progressDeadlineSeconds', 'as-is'], ['replicas', 'replicas', 'as-is'],
  ['revisionHistoryLimit', 'revisionHistoryLimit', 'as-is'], ['selector', 'selector', { type: LABEL_SELECTOR }],
  ['strategy', 'strategy', { type: DEPLOYMENT_STRATEGY }], ['template', 'template', { type: POD_TEMPLATE_SPEC }],
];
export const KUBE_DEPLOYMENT_PROPS: L1Type = [
  ['metadata', 'metadata', { type: OBJECT_META }], ['spec', 'spec', { type: DEPLOYMENT_SPEC }],
];
export const KUBE_POD_PROPS: L1Type = [
  ['metadata', 'metadata', { type: OBJECT_META }], ['spec', 'spec', { type: POD_SPEC }],
];
export const SERVICE_PORT: L1Type = [
  ['appProtocol', 'appProtocol', 'as-is'], ['name', 'name', 'as-is'], ['nodePort', 'nodePort', 'as-is'],
  ['port', 'port', 'as-is'], ['protocol', 'protocol', 'as-is'], ['targetPort', 'targetPort', 'value'],
];
export const SERVICE_SPEC: L1Type = [
  ['allocateLoadBalancerNodePorts', 'allocateLoadBalancerNodePorts', 'as-is'], ['clusterIP', 'clusterIp', 'as-is'],
  ['clusterIPs', 'clusterIPs', 'list'], ['externalIPs', 'externalIPs', 'list'],
  ['externalName', 'externalName', 'as-is'], ['externalTrafficPolicy', 'externalTrafficPolicy', 'as-is'],
  ['healthCheckNodePort', 'healthCheckNodePort', 'as-is'], ['internalTrafficPolicy', 'internalTrafficPolicy', 'as-is'],
  ['ipFamilies', 'ipFamilies', 'list'], ['ipFamilyPolicy', 'ipFamilyPolicy', 'as-is'],
  ['loadBalancerClass', 'loadBalancerClass', 'as-is'], ['loadBalancerIP', 'loadBalancerIp', 'as-is'],
  ['loadBalancerSourceRanges', 'loadBalancerSourceRanges', 'list'], ['ports', 'ports', { listOf: SERVICE_PORT }],
  ['publishNotReadyAddresses', 'publishNotReadyAddresses', 'as-is'], ['selector', 'selector', 'string-map'],
  ['sessionAffinity', 'sessionAffinity', 'as-is'],
  ['sessionAffinityConfig', 'sessionAffinityConfig', { l1: k8s.toJson_SessionAffinityConfig }],
  ['type', 'type', 'as-is'],
];
export const KUBE_SERVICE_PROPS: L1Type = [
  ['metadata', 'metadata', { type: OBJECT_META }], ['spec', 'spec', { type: SERVICE_SPEC }],
];
export const KUBE_CONFIG_MAP_PROPS: L1Type = [
  ['metadata', 'metadata', { type: OBJECT_META }], ['binaryData', 'binaryData', 'string-map'],
  ['data', 'data', 'string-map'], ['immutable', 'immutable', 'as-is'],
];
export const STATEFUL_SET_SPEC: L1Type = [
  ['minReadySeconds', 'minReadySeconds', 'as-is'], ['ordinals', 'ordinals', { l1: k8s.toJson_StatefulSetOrdinals }],
  ['persistentVolumeClaimRetentionPolicy', 'persistentVolumeClaimRetentionPolicy', { l1: k8s.toJson_StatefulSetPersistentVolumeClaimRetentionPolicy }],
  ['podManagementPolicy', 'podManagementPolicy', 'as-is'], ['replicas', 'replicas', 'as-is'],
  ['revisionHistoryLimit', 'revisionHistoryLimit', 'as-is'], ['selector', 'selector', { type: LABEL_SELECTOR }],
  ['serviceName', 'serviceName', 'as-is'], ['template', 'template', { type: POD_TEMPLATE_SPEC }],
  ['updateStrategy', 'updateStrategy', { l1: k8s.toJson_StatefulSetUpdateStrategy }],
  ['volumeClaimTemplates', 'volumeClaimTemplates', { l1List: k8s.toJson_KubePersistentVolumeClaimProps }],
];
export const KUBE_STATEFUL_SET_PROPS: L1Type = [
  ['metadata', 'metadata', { type: OBJECT_META }], ['spec', 'spec', { type: STATEFUL_SET_SPEC }],
];
export const DAEMON_SET_SPEC: L1Type = [
  ['minReadySeconds', 'minReadySeconds', 'as-is'], ['revisionHistoryLimit', 'revisionHistoryLimit', 'as-is'],
  ['selector', 'selector', { type: LABEL_SELECTOR }], ['template', 'template', { type: POD_TEMPLATE_SPEC }],
  ['updateStrategy', 'updateStrategy', { l1: k8s.toJson_DaemonSetUpdateStrategy }],
];
export const KUBE_DAEMON_SET_PROPS: L1Type = [
  ['metadata', 'metadata', { type: OBJECT_META }], ['spec', 'spec', { type: DAEMON_SET_SPEC }],
];
export const JOB_SPEC: L1Type = [
  ['activeDeadlineSeconds', 'activeDeadlineSeconds', 'as-is'], ['backoffLimit', 'backoffLimit', 'as-is'],
  ['completionMode', 'completionMode', 'as-is'], ['completions', 'completions', 'as-is'],
  ['manualSelector', 'manualSelector', 'as-is'], ['parallelism', 'parallelism', 'as-is'],
  ['podFailurePolicy', 'podFailurePolicy', { l1: k8s.toJson_PodFailurePolicy }],
  ['selector', 'selector', { type: LABEL_SELECTOR }], ['suspend', 'suspend', 'as-is'],
  ['template', 'template', { type: POD_TEMPLATE_SPEC }],
  ['ttlSecondsAfterFinished', 'ttlSecondsAfterFinished', 'as-is'],
];
export const KUBE_JOB_PROPS: L1Type = [
  ['metadata', 'metadata', { type: OBJECT_META }], ['spec', 'spec', { type: JOB_SPEC }],
];
export const JOB_TEMPLATE_SPEC: L1Type = [
  ['metadata', 'metadata', { type: OBJECT_META }], ['spec', 'spec', { type: JOB_SPEC }],
];
export const CRON_JOB_SPEC: L1Type = [
  ['concurrencyPolicy', 'concurrencyPolicy', 'as-is'], ['failedJobsHistoryLimit', 'failedJobsHistoryLimit', 'as-is'],
  ['jobTemplate', 'jobTemplate', { type: JOB_TEMPLATE_SPEC }], ['schedule', 'schedule', 'as-is'],
  ['startingDeadlineSeconds', 'startingDeadlineSeconds', 'as-is'],
  ['successfulJobsHistoryLimit', 'successfulJobsHistoryLimit', 'as-is'], ['suspend', 'suspend', 'as-is'],
  ['timeZone', 'timeZone', 'as-is'],
];
export const KUBE_CRON_JOB_PROPS: L1Type = [
  ['metadata', 'metadata', { type: OBJECT_META }], ['spec', 'spec', { type: CRON_JOB_SPEC }],
];

/** `fn`, the L1 function of `type`, made as {@link toJsonOf} makes it (`fn` itself for input that throws there). */
function fast(type: L1Type, fn: (obj: any) => any): (obj: any) => Record<string, any> | undefined {
  return (obj) => {
    try {
      return toJsonOf(type, obj);
    } catch {
      return fn(obj);
    }
  };
}

export const toJson_Container = fast(CONTAINER, k8s.toJson_Container);
export const toJson_EnvVar = fast(ENV_VAR, k8s.toJson_EnvVar);
export const toJson_VolumeMount = fast(VOLUME_MOUNT, k8s.toJson_VolumeMount);
export const toJson_SecurityContext = fast(SECURITY_CONTEXT, k8s.toJson_SecurityContext);
export const toJson_PodSecurityContext = fast(POD_SECURITY_CONTEXT, k8s.toJson_PodSecurityContext);
export const toJson_ResourceRequirements = fast(RESOURCE_REQUIREMENTS, k8s.toJson_ResourceRequirements);
export const toJson_Probe = fast(PROBE, k8s.toJson_Probe);
export const toJson_Volume = fast(VOLUME, k8s.toJson_Volume);

/**
 * The L1 classes whose `toJson` {@link classToJson} makes: the class, the function that converts its
 * props, and the table of those props. Each class's generated `toJson` is `{ ...GVK,
 * ...toJson_<Class>Props(super.toJson()) }`; that is checked by the method's text, once per class,
 * so that another generator's class (another layout, another spread) is rendered by its own method.
 */
export const CLASSES: ReadonlyArray<readonly [any, (obj: any) => any, L1Type]> = [
  [k8s.KubeDeployment, k8s.toJson_KubeDeploymentProps, KUBE_DEPLOYMENT_PROPS],
  [k8s.KubePod, k8s.toJson_KubePodProps, KUBE_POD_PROPS],
  [k8s.KubeStatefulSet, k8s.toJson_KubeStatefulSetProps, KUBE_STATEFUL_SET_PROPS],
  [k8s.KubeDaemonSet, k8s.toJson_KubeDaemonSetProps, KUBE_DAEMON_SET_PROPS],
  [k8s.KubeJob, k8s.toJson_KubeJobProps, KUBE_JOB_PROPS],
  [k8s.KubeCronJob, k8s.toJson_KubeCronJobProps, KUBE_CRON_JOB_PROPS],
  [k8s.KubeConfigMap, k8s.toJson_KubeConfigMapProps, KUBE_CONFIG_MAP_PROPS],
  [k8s.KubeService, k8s.toJson_KubeServiceProps, KUBE_SERVICE_PROPS],
];

/** The text of a generated class's `toJson` (as cdk8s-plus-27's module is compiled). */
export function generatedToJsonText(className: string): string {
  return `toJson() {\n        const resolved = super.toJson();\n        return {\n            ...${className}.GVK,\n            ...toJson_${className}Props(resolved),\n        };\n    }`;
}

/** How the `toJson` of objects of a class (by prototype) is made from the tables. */
interface TableRendering {
  readonly cls: any;
  readonly props: (obj: any) => Record<string, any> | undefined;
}

/**
 * How objects whose prototype is `proto` render from the tables: one of {@link CLASSES} itself,
 * straight below ApiObject, whose `toJson` has the generated text; else undefined.
 */
export function tableRenderingOf(proto: object): TableRendering | undefined {
  const entry = CLASSES.find(([cls]) => cls.prototype === proto);
  if (entry === undefined || Object.getPrototypeOf(proto) !== ApiObject.prototype) return undefined;
  if ((proto as any).toJson.toString() !== generatedToJsonText(entry[0].name)) return undefined;
  return { cls: entry[0], props: fast(entry[2], entry[1]) };
}

/** {@link tableRenderingOf} by prototype, once each (null: not from the tables). */
const BY_PROTOTYPE = new Map<object, TableRendering | null>();

/**
 * `obj.toJson` for an object of exactly one of {@link CLASSES} (no subclass) that has no `toJson`
 * of its own (yet: the injection step asks before it gives the object one), made with the tables
 * above instead of the generated functions (their object spread per field): the same result, key
 * order included; undefined where that cannot be told (another class, a method of another text,
 * a `toJson` of the object's own). ApiObject's `toJson` runs as the class's would
 * (`super.toJson()`), so whatever runs as it (lib/_pod/cdk8s-render.ts) runs here too.
 */
export function classToJsonOf(obj: ApiObject): (() => any) | undefined {
  if (Object.prototype.hasOwnProperty.call(obj, 'toJson')) return undefined;
  const proto = Object.getPrototypeOf(obj);
  let how = BY_PROTOTYPE.get(proto);
  if (how === undefined) BY_PROTOTYPE.set(proto, (how = tableRenderingOf(proto) ?? null));
  if (how === null) return undefined;
  const { cls, props } = how;
  return () => ({ ...cls.GVK, ...props(ApiObject.prototype.toJson.call(obj)) });
}

/** The L1 functions these stand for, by type (for the tests). */
export const L1_FUNCTIONS: ReadonlyArray<[string, L1Type]> = [
  ['toJson_SeLinuxOptions', SE_LINUX_OPTIONS], ['toJson_SeccompProfile', SECCOMP_PROFILE], ['toJson_WindowsSecurityContextOptions', WINDOWS_OPTIONS],
  ['toJson_Capabilities', CAPABILITIES], ['toJson_SecurityContext', SECURITY_CONTEXT], ['toJson_PodSecurityContext', POD_SECURITY_CONTEXT],
  ['toJson_ResourceRequirements', RESOURCE_REQUIREMENTS], ['toJson_ExecAction', EXEC_ACTION], ['toJson_HttpGetAction', HTTP_GET_ACTION],
  ['toJson_TcpSocketAction', TCP_SOCKET_ACTION], ['toJson_Probe', PROBE], ['toJson_LifecycleHandler', LIFECYCLE_HANDLER],
  ['toJson_Lifecycle', LIFECYCLE], ['toJson_EnvVar', ENV_VAR], ['toJson_ContainerPort', CONTAINER_PORT], ['toJson_VolumeMount', VOLUME_MOUNT],
  ['toJson_Container', CONTAINER],
  ['toJson_EmptyDirVolumeSource', EMPTY_DIR_VOLUME_SOURCE], ['toJson_KeyToPath', KEY_TO_PATH],
  ['toJson_ConfigMapVolumeSource', CONFIG_MAP_VOLUME_SOURCE], ['toJson_Volume', VOLUME], ['toJson_LabelSelector', LABEL_SELECTOR],
  ['toJson_ObjectMeta', OBJECT_META], ['toJson_PodSpec', POD_SPEC], ['toJson_PodTemplateSpec', POD_TEMPLATE_SPEC],
  ['toJson_RollingUpdateDeployment', ROLLING_UPDATE_DEPLOYMENT], ['toJson_DeploymentStrategy', DEPLOYMENT_STRATEGY],
  ['toJson_DeploymentSpec', DEPLOYMENT_SPEC],
  ['toJson_KubeDeploymentProps', KUBE_DEPLOYMENT_PROPS], ['toJson_KubePodProps', KUBE_POD_PROPS],
  ['toJson_ServicePort', SERVICE_PORT], ['toJson_ServiceSpec', SERVICE_SPEC],
  ['toJson_KubeServiceProps', KUBE_SERVICE_PROPS], ['toJson_KubeConfigMapProps', KUBE_CONFIG_MAP_PROPS],
  ['toJson_StatefulSetSpec', STATEFUL_SET_SPEC], ['toJson_KubeStatefulSetProps', KUBE_STATEFUL_SET_PROPS],
  ['toJson_DaemonSetSpec', DAEMON_SET_SPEC], ['toJson_KubeDaemonSetProps', KUBE_DAEMON_SET_PROPS],
  ['toJson_JobSpec', JOB_SPEC], ['toJson_KubeJobProps', KUBE_JOB_PROPS], ['toJson_JobTemplateSpec', JOB_TEMPLATE_SPEC],
  ['toJson_CronJobSpec', CRON_JOB_SPEC], ['toJson_KubeCronJobProps', KUBE_CRON_JOB_PROPS],
];
