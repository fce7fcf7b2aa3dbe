/**
 * The Kubernetes 1.27 L1 `toJson_*` functions the injection step calls for every rendering of a
 * part (a container, its security context, resources, probes, env, mounts; the pod's security
 * context), made without their per-object cost: each generated function builds an object of every
 * field, then copies it once per defined field (`reduce` with an object spread), so a container
 * costs a few dozen objects. These read the same fields in the same order, convert each the same
 * way (a list copied, a union's `value`, a map of quantities, a nested type) and write only the
 * defined ones: the same result, key order included. Input they cannot convert so (a list that
 * is not one, a null object) is converted by the L1 function itself, which is pure: the same
 * result or error as if it had been called first. A field of a type not modelled here is converted
 * by the L1 function itself too. test/l1-json.test.ts checks, for each
 * type, that the fields are those the L1 function reads, in its order, and compares results and
 * errors on arbitrary input.
 */
import * as k8s from '../_k8s';

/** How an L1 field becomes JSON. */
type Conv =
  | 'as-is' // obj.f
  | 'list' // obj.f?.map(y => y)
  | 'value' // obj.f?.value (IntOrString, Quantity)
  | 'value-map' // a map of quantities: each defined entry's value
  | { readonly type: L1Type } // toJson_T(obj.f)
  | { readonly listOf: L1Type } // obj.f?.map(y => toJson_T(y))
  | { readonly l1: (v: any) => any } // the L1 function itself
  | { readonly l1List: (v: any) => any };

/** A type's fields, in the order its L1 function reads them: [JSON name, L1 name, conversion]. */
export type L1Type = ReadonlyArray<readonly [string, string, Conv]>;

/** A field's conversion as {@link toJsonOf} runs it: one shape for every field, the kind a number. */
interface Field {
  readonly json: string;
  readonly l1: string;
  readonly kind: number;
  /** The nested type ({@link LIST_OF} too). */
  readonly type: L1Type | undefined;
  /** The L1 function ({@link L1_LIST} too). */
  readonly fn: ((v: any) => any) | undefined;
}

const AS_IS = 0;
const LIST = 1;
const VALUE = 2;
const VALUE_MAP = 3;
const TYPE = 4;
const LIST_OF = 5;
const L1 = 6;
const L1_LIST = 7;

/** Each type's fields in {@link Field} form, made on first use. */
const FIELDS = new WeakMap<L1Type, readonly Field[]>();

function fieldsOf(type: L1Type): readonly Field[] {
  let fields = FIELDS.get(type);
  if (fields === undefined) {
    fields = type.map(([json, l1, conv]): Field => {
      if (typeof conv === 'string') return { json, l1, kind: conv === 'as-is' ? AS_IS : conv === 'list' ? LIST : conv === 'value' ? VALUE : VALUE_MAP, type: undefined, fn: undefined };
      if ('type' in conv) return { json, l1, kind: TYPE, type: conv.type, fn: undefined };
      if ('listOf' in conv) return { json, l1, kind: LIST_OF, type: conv.listOf, fn: undefined };
      if ('l1' in conv) return { json, l1, kind: L1, type: undefined, fn: conv.l1 };
      return { json, l1, kind: L1_LIST, type: undefined, fn: conv.l1List };
    });
    FIELDS.set(type, fields);
  }
  return fields;
}

const same = (y: any): any => y;

/**
 * Converts `obj` of an L1 type as its `toJson_*` function does. The fields are read in
 * {@link Field} form: the same shape for every conversion, so each step reads one hidden class
 * (a first pass over 3,000 containers took 24-26 ms so, 27-40 ms with the conversions read in
 * their own forms; the same once optimized).
 */
export function toJsonOf(type: L1Type, obj: any): Record<string, any> | undefined {
  if (obj === undefined) return undefined;
  const fields = fieldsOf(type);
  const out: Record<string, any> = {};
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    const v = obj[f.l1];
    let x: any;
    const kind = f.kind;
    if (kind === AS_IS) x = v;
    else if (kind === L1) x = f.fn!(v); // an L1 function is called as it is, also for undefined
    // an undefined field converts to undefined (`v?.` ..., toJsonOf, mapOf)
    else if (v === undefined) continue;
    else if (kind === LIST) x = v?.map(same);
    else if (kind === VALUE) x = v?.value;
    else if (kind === VALUE_MAP) x = mapOf(v, valueOf);
    else if (kind === TYPE) x = toJsonOf(f.type!, v);
    else if (kind === LIST_OF) {
      const t = f.type!;
      x = v?.map((y: any) => toJsonOf(t, y));
    } else {
      const fn = f.fn!;
      x = v?.map((y: any) => fn(y));
    }
    if (x !== undefined) out[f.json] = x;
  }
  return out;
}

/**
 * A map (`{ [key: string]: T }`) as the generated `reduce` converts it: each defined entry
 * converted by `entry` (`i[1]?.value` for a map of quantities), keys in their order.
 */
export function mapOf(m: any, entry: (v: any) => any): Record<string, any> | undefined {
  if (m === undefined) return undefined;
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(m)) {
    if (v === undefined) continue;
    // a spread's computed key defines an own property, also "__proto__" (an assignment would set the prototype)
    if (k === '__proto__') Object.defineProperty(out, k, { value: entry(v), enumerable: true, writable: true, configurable: true });
    else out[k] = entry(v);
  }
  return out;
}

const valueOf = (e: any): any => e?.value;

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

/** The L1 functions these stand for, by type (for the tests). */
export const L1_FUNCTIONS: ReadonlyArray<[string, L1Type]> = [
  ['toJson_SeLinuxOptions', SE_LINUX_OPTIONS], ['toJson_SeccompProfile', SECCOMP_PROFILE], ['toJson_WindowsSecurityContextOptions', WINDOWS_OPTIONS],
  ['toJson_Capabilities', CAPABILITIES], ['toJson_SecurityContext', SECURITY_CONTEXT], ['toJson_PodSecurityContext', POD_SECURITY_CONTEXT],
  ['toJson_ResourceRequirements', RESOURCE_REQUIREMENTS], ['toJson_ExecAction', EXEC_ACTION], ['toJson_HttpGetAction', HTTP_GET_ACTION],
  ['toJson_TcpSocketAction', TCP_SOCKET_ACTION], ['toJson_Probe', PROBE], ['toJson_LifecycleHandler', LIFECYCLE_HANDLER],
  ['toJson_Lifecycle', LIFECYCLE], ['toJson_EnvVar', ENV_VAR], ['toJson_ContainerPort', CONTAINER_PORT], ['toJson_VolumeMount', VOLUME_MOUNT],
  ['toJson_Container', CONTAINER],
];
