/**
 * Pod Security Standards checker, every policy version from 1.27 to 1.37.
 *
 * A re-implementation of the checks of the Pod Security Admission controller
 * (kubernetes/pod-security-admission, package `policy`, v0.37.2), over a pod as plain manifest
 * JSON, evaluated at the policy version it is asked for: like upstream, each check carries a table
 * of implementations by minimum version and the newest one not above the asked version runs. Check
 * ids are upstream's, so a violation here can be matched to the warning the API server would give.
 * Agreement with upstream is proven by test/pss.test.ts against the Kubernetes project's test cases
 * of every version (test/fixtures/psa/v1.27 ... v1.37), and by test/apiserver/psscheck against the
 * upstream evaluator itself on random pods.
 *
 * What changes across 1.27-1.37 (upstream's version tables):
 * - 1.29: sysctls allows net.ipv4.tcp_keepalive_time, tcp_fin_timeout, tcp_keepalive_intvl, tcp_keepalive_probes;
 * - 1.31: seLinuxOptions allows type container_engine_t;
 * - 1.32: sysctls allows net.ipv4.tcp_rmem, tcp_wmem;
 * - 1.34: new baseline check hostProbesAndHostLifecycle (no `host` in httpGet/tcpSocket probes and lifecycle hooks);
 * - 1.35: procMount (baseline), runAsNonRoot and runAsUser are relaxed for pods with `hostUsers: false`
 *   (user namespaces); new restricted check procMount_restricted, replacing procMount, not relaxed;
 * - 1.37: sysctls allows net.ipv4.tcp_slow_start_after_idle, tcp_notsent_lowat.
 *
 * As upstream:
 * - containers, initContainers and ephemeralContainers are all checked;
 * - a level runs its own checks and every check of the levels below it, except that a restricted
 *   check may replace the baseline check of the same field (capabilities_restricted replaces
 *   capabilities_baseline, seccompProfile_restricted replaces seccompProfile_baseline,
 *   restrictedVolumes replaces hostPathVolumes, procMount_restricted replaces procMount from 1.35),
 *   so each problem is reported once;
 * - each failing check gives one violation, whose message names every offending container, volume,
 *   annotation or field and the forbidden values;
 * - pods with `spec.os.name: windows` are exempt from allowPrivilegeEscalation,
 *   capabilities_restricted and seccompProfile_restricted (policy 1.25+).
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */

import { BASELINE_CAPABILITIES, levelRank, POD_SECURITY_LEVELS, PodSecurityLevel, RESTRICTED_CAPABILITIES } from './pod-security';

/** The Pod Security Standards levels (the library's one vocabulary, pod-security.ts). */
export type PssLevel = PodSecurityLevel;

/** The levels, least to most strict (pod-security.ts). */
export const PSS_LEVELS: readonly PssLevel[] = POD_SECURITY_LEVELS;

/** One failed check. */
export interface PssViolation {
  /** The upstream check id, e.g. `hostPathVolumes`, `runAsNonRoot`. */
  readonly check: string;
  /** What is wrong: names the container(s), volume(s) or field and the forbidden value. */
  readonly message: string;
}

type Json = Record<string, any>;

/** The parts of a pod the checks read, with absent objects defaulted. */
interface PodView {
  readonly annotations: Json;
  readonly spec: Json;
  /** `spec.securityContext`, or `{}`. */
  readonly podSc: Json;
  /** initContainers, containers and ephemeralContainers, in upstream's visiting order. */
  readonly containers: readonly Json[];
}

/** One implementation of a check, in force from policy version 1.`since` until a newer one. */
interface VersionedCheck {
  /** The minor version (of 1.x) this implementation starts at. */
  readonly since: number;
  /** Baseline check ids this check replaces at its level (upstream's OverrideCheckIDs). */
  readonly overrides?: readonly string[];
  /** The violation message, or undefined when the pod passes. */
  readonly run: (pod: PodView) => string | undefined;
}

interface PssCheck {
  /** Upstream check id. */
  readonly id: string;
  /** The least strict level that enforces the check. */
  readonly level: PodSecurityLevel.BASELINE | PodSecurityLevel.RESTRICTED;
  /** Implementations, oldest first (upstream's Versions); a version below the first has no such check. */
  readonly versions: readonly VersionedCheck[];
}

/** The policy versions this checker evaluates: 1.27 to 1.37. */
export const PSS_MIN_MINOR = 27;
export const PSS_MAX_MINOR = 37;
/** The policy version used when none is given: the library's default target, 1.27. */
export const PSS_DEFAULT_VERSION = '1.27';

/**
 * The minor number of a policy version: "1.NN", "v1.NN" or "1.NN.P", NN from 27 to 37.
 * Throws, naming what is valid, otherwise.
 */
export function pssMinor(version: string): number {
  const m = typeof version === 'string' ? /^v?1\.(\d+)(\.\d+)?$/.exec(version) : null;
  const minor = m ? Number(m[1]) : NaN;
  if (!(minor >= PSS_MIN_MINOR && minor <= PSS_MAX_MINOR)) {
    throw new Error(`unknown Pod Security policy version ${JSON.stringify(version)}; expected "1.${PSS_MIN_MINOR}" to "1.${PSS_MAX_MINOR}" (or "v1.NN")`);
  }
  return minor;
}

// ---------------------------------------------------------------------------------------------
// Helpers

const isSet = (v: unknown): boolean => v !== undefined && v !== null;

function sc(c: Json): Json {
  return c.securityContext ?? {};
}

function quoteAll(items: Iterable<unknown>): string {
  return [...items].map((s) => JSON.stringify(String(s))).join(', ');
}

function sortedUnique(items: Iterable<unknown>): string[] {
  return [...new Set([...items].map(String))].sort();
}

/** `container "a"` / `containers "a", "b"` */
function containersPhrase(names: readonly string[]): string {
  return `${names.length === 1 ? 'container' : 'containers'} ${quoteAll(names)}`;
}

/** Joins "pod" (when set) and the containers phrase: `pod and containers "a", "b"`. */
function settersPhrase(pod: boolean, containers: readonly string[]): string | undefined {
  const parts: string[] = [];
  if (pod) parts.push('pod');
  if (containers.length > 0) parts.push(containersPhrase(containers));
  return parts.length > 0 ? parts.join(' and ') : undefined;
}

function isWindowsPod(pod: PodView): boolean {
  return pod.spec.os?.name === 'windows';
}

function containerName(c: Json): string {
  return String(c.name ?? '');
}

// ---------------------------------------------------------------------------------------------
// Allowed values

/** Each list of allowed values as a set, made once (the lists below are constants). */
const SETS = new Map<readonly string[], ReadonlySet<string>>();
function setOf(list: readonly string[]): ReadonlySet<string> {
  let set = SETS.get(list);
  if (set === undefined) SETS.set(list, (set = new Set(list)));
  return set;
}

/** capabilities_baseline: what may be added (Docker's default set). Case-sensitive, no CAP_ prefix. */
const BASELINE_ADDABLE_CAPABILITIES: ReadonlySet<string> = new Set(BASELINE_CAPABILITIES);
/** capabilities_restricted: what may be added after dropping ALL. */
const RESTRICTED_ADDABLE_CAPABILITIES: ReadonlySet<string> = new Set(RESTRICTED_CAPABILITIES);

/** sysctls: the safe set of policy 1.27. */
const SAFE_SYSCTLS_1_27: readonly string[] = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ip_local_reserved_ports',
];
const SAFE_SYSCTLS_1_29 = [...SAFE_SYSCTLS_1_27,
  'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];
const SAFE_SYSCTLS_1_32 = [...SAFE_SYSCTLS_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];
const SAFE_SYSCTLS_1_37 = [...SAFE_SYSCTLS_1_32, 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'];

/** seLinuxOptions: allowed types ('' = unset); policy 1.31 adds container_engine_t. */
const SELINUX_TYPES_1_0: readonly string[] = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
const SELINUX_TYPES_1_31 = [...SELINUX_TYPES_1_0, 'container_engine_t'];

/** appArmorProfile: the allowed `securityContext.appArmorProfile.type` values. */
const APPARMOR_TYPES = new Set(['RuntimeDefault', 'Localhost']);

/** restrictedVolumes: the only volume sources allowed. */
const RESTRICTED_VOLUME_SOURCES = [
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
] as const;

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

const VALID_SECCOMP_TYPES = new Set(['RuntimeDefault', 'Localhost']);

// ---------------------------------------------------------------------------------------------
// Checks, one function each

function hostNamespaces(pod: PodView): string | undefined {
  const set = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((f) => pod.spec[f] === true);
  return set.length > 0 ? `pod must not set ${set.map((f) => `${f}=true`).join(', ')}` : undefined;
}

function privileged(pod: PodView): string | undefined {
  const bad = pod.containers.filter((c) => sc(c).privileged === true).map(containerName);
  return bad.length > 0 ? `${containersPhrase(bad)} must not set securityContext.privileged=true` : undefined;
}

function capabilitiesBaseline(pod: PodView): string | undefined {
  const bad: string[] = [];
  const caps: string[] = [];
  for (const c of pod.containers) {
    const added: unknown[] = sc(c).capabilities?.add ?? [];
    const forbidden = added.filter((cap) => !BASELINE_ADDABLE_CAPABILITIES.has(String(cap)));
    if (forbidden.length > 0) {
      bad.push(containerName(c));
      caps.push(...forbidden.map(String));
    }
  }
  if (bad.length === 0) return undefined;
  return `${containersPhrase(bad)} must not include ${quoteAll(sortedUnique(caps))} in securityContext.capabilities.add`;
}

function hostPathVolumes(pod: PodView): string | undefined {
  const bad = ((pod.spec.volumes ?? []) as Json[]).filter((v) => isSet(v.hostPath)).map((v) => String(v.name));
  if (bad.length === 0) return undefined;
  return `${bad.length === 1 ? 'volume' : 'volumes'} ${quoteAll(bad)} must not use hostPath`;
}

function hostPorts(pod: PodView): string | undefined {
  const bad: string[] = [];
  const ports: number[] = [];
  // With hostNetwork, the API server defaults every port of the init and regular containers to
  // hostPort = containerPort before admission (SetDefaults_Pod), so upstream sees those host ports.
  const defaulted = new Set<Json>(pod.spec.hostNetwork === true ? [...((pod.spec.initContainers ?? []) as Json[]), ...((pod.spec.containers ?? []) as Json[])] : []);
  for (const c of pod.containers) {
    if (c.ports === undefined) continue;
    const used = ((c.ports ?? []) as Json[])
      .map((p) => (defaulted.has(c) && (!isSet(p?.hostPort) || Number(p.hostPort) === 0) ? p?.containerPort : p?.hostPort))
      .filter((p) => isSet(p) && Number(p) !== 0);
    if (used.length > 0) {
      bad.push(containerName(c));
      ports.push(...used.map(Number));
    }
  }
  if (bad.length === 0) return undefined;
  const unique = [...new Set(ports)].sort((a, b) => a - b);
  return `${containersPhrase(bad)} must not set ports[*].hostPort (${unique.length === 1 ? 'hostPort' : 'hostPorts'} ${unique.join(', ')})`;
}

function appArmorProfile(pod: PodView): string | undefined {
  const parts: string[] = [];
  const fieldBad = (p: Json | undefined | null): boolean => isSet(p) && !APPARMOR_TYPES.has(p!.type);
  const podBad = fieldBad(pod.podSc.appArmorProfile);
  const badContainers = pod.containers.filter((c) => fieldBad(sc(c).appArmorProfile));
  const values = [...(podBad ? [pod.podSc.appArmorProfile] : []), ...badContainers.map((c) => sc(c).appArmorProfile)]
    .map((p: Json) => String(p.type ?? ''));
  const fieldSetters = settersPhrase(podBad, badContainers.map(containerName));
  if (fieldSetters) {
    parts.push(`${fieldSetters} must not set securityContext.appArmorProfile.type to ${quoteAll(sortedUnique(values))} ` +
      '(allowed: "RuntimeDefault", "Localhost")');
  }
  const bad: string[] = [];
  for (const key of Object.keys(pod.annotations).filter((k) => k.startsWith(APPARMOR_ANNOTATION_PREFIX)).sort()) {
    const profile = String(pod.annotations[key] ?? '');
    if (profile === '' || profile === 'runtime/default' || profile.startsWith('localhost/')) continue;
    const container = key.slice(APPARMOR_ANNOTATION_PREFIX.length);
    bad.push(`container ${JSON.stringify(container)} must not use AppArmor profile ${JSON.stringify(profile)} (annotation ${key})`);
  }
  if (bad.length > 0) parts.push(`${bad.join('; ')}; allowed: "runtime/default", "localhost/*" or empty`);
  return parts.length > 0 ? parts.join('; ') : undefined;
}

function seLinuxOptions(allowed: readonly string[], pod: PodView): string | undefined {
  const SELINUX_TYPES = setOf(allowed);
  const badTypes = new Set<string>();
  let user = false;
  let role = false;
  const valid = (opts: Json | undefined | null): boolean => {
    if (!isSet(opts)) return true;
    let ok = true;
    const type = String(opts!.type ?? '');
    if (!SELINUX_TYPES.has(type)) { badTypes.add(type); ok = false; }
    if (String(opts!.user ?? '') !== '') { user = true; ok = false; }
    if (String(opts!.role ?? '') !== '') { role = true; ok = false; }
    return ok;
  };
  const podBad = !valid(pod.podSc.seLinuxOptions);
  const bad = pod.containers.filter((c) => !valid(sc(c).seLinuxOptions)).map(containerName);
  const who = settersPhrase(podBad, bad);
  if (!who) return undefined;
  const what: string[] = [];
  if (badTypes.size > 0) what.push(`type ${quoteAll(sortedUnique(badTypes))}`);
  if (user) what.push('user');
  if (role) what.push('role');
  const hint = badTypes.size > 0 ? ` (allowed types: ${[...SELINUX_TYPES].filter((t) => t !== '').join(', ')})` : '';
  return `${who} must not set securityContext.seLinuxOptions ${what.join(', ')}${hint}`;
}

function procMount(pod: PodView): string | undefined {
  const bad: string[] = [];
  const values: string[] = [];
  for (const c of pod.containers) {
    const v = sc(c).procMount;
    if (isSet(v) && v !== 'Default') {
      bad.push(containerName(c));
      values.push(String(v));
    }
  }
  if (bad.length === 0) return undefined;
  return `${containersPhrase(bad)} must not set securityContext.procMount to ${quoteAll(sortedUnique(values))}`;
}

function seccompProfileBaseline(pod: PodView): string | undefined {
  const values: string[] = [];
  const invalid = (profile: Json | undefined | null): boolean => {
    if (!isSet(profile) || VALID_SECCOMP_TYPES.has(profile!.type)) return false;
    values.push(String(profile!.type ?? ''));
    return true;
  };
  const podBad = invalid(pod.podSc.seccompProfile);
  const bad = pod.containers.filter((c) => invalid(sc(c).seccompProfile)).map(containerName);
  const who = settersPhrase(podBad, bad);
  if (!who) return undefined;
  return `${who} must not set securityContext.seccompProfile.type to ${quoteAll(sortedUnique(values))}`;
}

function sysctls(allowed: readonly string[], pod: PodView): string | undefined {
  const safe = setOf(allowed);
  const bad = ((pod.podSc.sysctls ?? []) as Json[]).map((s) => String(s?.name ?? '')).filter((n) => !safe.has(n));
  if (bad.length === 0) return undefined;
  return `pod must not set forbidden ${bad.length === 1 ? 'sysctl' : 'sysctls'} ${quoteAll(bad)} in securityContext.sysctls`;
}

/** Whether the pod runs in a user namespace (`hostUsers: false`): policy 1.35 relaxes some checks for it. */
function inUserNamespace(pod: PodView): boolean {
  return pod.spec.hostUsers === false;
}

/** A check that passes for pods in a user namespace, else runs `check` (upstream's relaxPolicyForUserNamespacePod). */
function relaxedForUserNamespace(check: (pod: PodView) => string | undefined): (pod: PodView) => string | undefined {
  return (pod) => (inUserNamespace(pod) ? undefined : check(pod));
}

function hostProbesAndHostLifecycle(pod: PodView): string | undefined {
  const bad: string[] = [];
  const hosts: string[] = [];
  const hostsOf = (handler: Json | undefined | null): string[] =>
    !isSet(handler) ? [] : [handler!.httpGet?.host, handler!.tcpSocket?.host].filter((h) => isSet(h) && h !== '').map(String);
  for (const c of pod.containers) {
    const found = [
      ...hostsOf(c.livenessProbe), ...hostsOf(c.readinessProbe), ...hostsOf(c.startupProbe),
      ...hostsOf(c.lifecycle?.postStart), ...hostsOf(c.lifecycle?.preStop),
    ];
    if (found.length > 0) {
      bad.push(containerName(c));
      hosts.push(...found);
    }
  }
  if (bad.length === 0) return undefined;
  const unique = sortedUnique(hosts);
  return `${containersPhrase(sortedUnique(bad))} must not set a host in probes or lifecycle handlers ` +
    `(httpGet.host / tcpSocket.host ${quoteAll(unique)})`;
}

function windowsHostProcess(pod: PodView): string | undefined {
  const podBad = pod.podSc.windowsOptions?.hostProcess === true;
  const bad = pod.containers.filter((c) => sc(c).windowsOptions?.hostProcess === true).map(containerName);
  const who = settersPhrase(podBad, bad);
  return who ? `${who} must not set securityContext.windowsOptions.hostProcess=true` : undefined;
}

function restrictedVolumes(pod: PodView): string | undefined {
  const bad: string[] = [];
  const types: string[] = [];
  for (const v of (pod.spec.volumes ?? []) as Json[]) {
    if (RESTRICTED_VOLUME_SOURCES.some((s) => isSet(v[s]))) continue;
    const sources = Object.keys(v).filter((k) => k !== 'name' && isSet(v[k]));
    // A volume naming no source at all is allowed: the API server defaults it to emptyDir before
    // admission, so upstream never sees it bare (its test case restrictedvolumes0 passes).
    if (sources.length === 0) continue;
    bad.push(String(v.name));
    types.push(...sources);
  }
  if (bad.length === 0) return undefined;
  const unique = sortedUnique(types);
  return `${bad.length === 1 ? 'volume' : 'volumes'} ${quoteAll(bad)} must not use restricted volume ` +
    `${unique.length === 1 ? 'type' : 'types'} ${quoteAll(unique)} (allowed: ${RESTRICTED_VOLUME_SOURCES.join(', ')})`;
}

function allowPrivilegeEscalation(pod: PodView): string | undefined {
  if (isWindowsPod(pod)) return undefined;
  const bad = pod.containers.filter((c) => sc(c).allowPrivilegeEscalation !== false).map(containerName);
  return bad.length > 0 ? `${containersPhrase(bad)} must set securityContext.allowPrivilegeEscalation=false` : undefined;
}

function runAsNonRoot(pod: PodView): string | undefined {
  const podValue = pod.podSc.runAsNonRoot;
  const podFalse = podValue === false;
  const podTrue = podValue === true;
  const explicitlyBad: string[] = [];
  const implicitlyBad: string[] = [];
  for (const c of pod.containers) {
    const v = sc(c).runAsNonRoot;
    if (isSet(v)) {
      if (v !== true) explicitlyBad.push(containerName(c));
    } else if (!podTrue) {
      implicitlyBad.push(containerName(c));
    }
  }
  const who = settersPhrase(podFalse, explicitlyBad);
  if (who) return `${who} must not set securityContext.runAsNonRoot=false`;
  if (implicitlyBad.length > 0) return `pod or ${containersPhrase(implicitlyBad)} must set securityContext.runAsNonRoot=true`;
  return undefined;
}

function runAsUser(pod: PodView): string | undefined {
  const isRoot = (v: unknown): boolean => isSet(v) && Number(v) === 0;
  const who = settersPhrase(isRoot(pod.podSc.runAsUser), pod.containers.filter((c) => isRoot(sc(c).runAsUser)).map(containerName));
  return who ? `${who} must not set securityContext.runAsUser=0` : undefined;
}

function seccompProfileRestricted(pod: PodView): string | undefined {
  if (isWindowsPod(pod)) return undefined;
  const values: string[] = [];
  const podProfile = pod.podSc.seccompProfile;
  let podBad = false;
  let podValid = false;
  if (isSet(podProfile)) {
    if (VALID_SECCOMP_TYPES.has(podProfile.type)) podValid = true;
    else { podBad = true; values.push(String(podProfile.type ?? '')); }
  }
  const explicitlyBad: string[] = [];
  const implicitlyBad: string[] = [];
  for (const c of pod.containers) {
    const profile = sc(c).seccompProfile;
    if (isSet(profile)) {
      if (!VALID_SECCOMP_TYPES.has(profile.type)) {
        explicitlyBad.push(containerName(c));
        values.push(String(profile.type ?? ''));
      }
    } else if (!podValid) {
      implicitlyBad.push(containerName(c));
    }
  }
  const who = settersPhrase(podBad, explicitlyBad);
  if (who) return `${who} must not set securityContext.seccompProfile.type to ${quoteAll(sortedUnique(values))}`;
  if (implicitlyBad.length > 0) {
    return `pod or ${containersPhrase(implicitlyBad)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`;
  }
  return undefined;
}

function capabilitiesRestricted(pod: PodView): string | undefined {
  if (isWindowsPod(pod)) return undefined;
  const missingDropAll: string[] = [];
  const addingForbidden: string[] = [];
  const forbidden: string[] = [];
  for (const c of pod.containers) {
    const caps: Json = sc(c).capabilities ?? {};
    if (!((caps.drop ?? []) as unknown[]).includes('ALL')) missingDropAll.push(containerName(c));
    const added = ((caps.add ?? []) as unknown[]).filter((cap) => !RESTRICTED_ADDABLE_CAPABILITIES.has(cap as string));
    if (added.length > 0) {
      addingForbidden.push(containerName(c));
      forbidden.push(...added.map(String));
    }
  }
  const details: string[] = [];
  if (missingDropAll.length > 0) details.push(`${containersPhrase(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`);
  if (addingForbidden.length > 0) {
    details.push(`${containersPhrase(addingForbidden)} must not include ${quoteAll(sortedUnique(forbidden))} in securityContext.capabilities.add`);
  }
  return details.length > 0 ? details.join('; ') : undefined;
}

// ---------------------------------------------------------------------------------------------
// The policy

/**
 * Every check of the policy, in upstream's registration (alphabetical file) order per level, each
 * with its implementations by minimum version (only the versions from 1.27 on matter here).
 */
const CHECKS: readonly PssCheck[] = [
  { id: 'appArmorProfile', level: PodSecurityLevel.BASELINE, versions: [{ since: 0, run: appArmorProfile }] },
  { id: 'capabilities_baseline', level: PodSecurityLevel.BASELINE, versions: [{ since: 0, run: capabilitiesBaseline }] },
  { id: 'hostNamespaces', level: PodSecurityLevel.BASELINE, versions: [{ since: 0, run: hostNamespaces }] },
  { id: 'hostPathVolumes', level: PodSecurityLevel.BASELINE, versions: [{ since: 0, run: hostPathVolumes }] },
  { id: 'hostPorts', level: PodSecurityLevel.BASELINE, versions: [{ since: 0, run: hostPorts }] },
  { id: 'hostProbesAndHostLifecycle', level: PodSecurityLevel.BASELINE, versions: [{ since: 34, run: hostProbesAndHostLifecycle }] },
  { id: 'privileged', level: PodSecurityLevel.BASELINE, versions: [{ since: 0, run: privileged }] },
  { id: 'procMount', level: PodSecurityLevel.BASELINE, versions: [{ since: 0, run: procMount }, { since: 35, run: relaxedForUserNamespace(procMount) }] },
  { id: 'seccompProfile_baseline', level: PodSecurityLevel.BASELINE, versions: [{ since: 0, run: seccompProfileBaseline }] },
  {
    id: 'seLinuxOptions', level: PodSecurityLevel.BASELINE, versions: [
      { since: 0, run: (p) => seLinuxOptions(SELINUX_TYPES_1_0, p) },
      { since: 31, run: (p) => seLinuxOptions(SELINUX_TYPES_1_31, p) },
    ],
  },
  {
    id: 'sysctls', level: PodSecurityLevel.BASELINE, versions: [
      { since: 27, run: (p) => sysctls(SAFE_SYSCTLS_1_27, p) },
      { since: 29, run: (p) => sysctls(SAFE_SYSCTLS_1_29, p) },
      { since: 32, run: (p) => sysctls(SAFE_SYSCTLS_1_32, p) },
      { since: 37, run: (p) => sysctls(SAFE_SYSCTLS_1_37, p) },
    ],
  },
  { id: 'windowsHostProcess', level: PodSecurityLevel.BASELINE, versions: [{ since: 0, run: windowsHostProcess }] },
  { id: 'allowPrivilegeEscalation', level: PodSecurityLevel.RESTRICTED, versions: [{ since: 25, run: allowPrivilegeEscalation }] },
  {
    id: 'capabilities_restricted', level: PodSecurityLevel.RESTRICTED,
    versions: [{ since: 25, overrides: ['capabilities_baseline'], run: capabilitiesRestricted }],
  },
  { id: 'procMount_restricted', level: PodSecurityLevel.RESTRICTED, versions: [{ since: 35, overrides: ['procMount'], run: procMount }] },
  { id: 'restrictedVolumes', level: PodSecurityLevel.RESTRICTED, versions: [{ since: 0, overrides: ['hostPathVolumes'], run: restrictedVolumes }] },
  { id: 'runAsNonRoot', level: PodSecurityLevel.RESTRICTED, versions: [{ since: 0, run: runAsNonRoot }, { since: 35, run: relaxedForUserNamespace(runAsNonRoot) }] },
  { id: 'runAsUser', level: PodSecurityLevel.RESTRICTED, versions: [{ since: 23, run: runAsUser }, { since: 35, run: relaxedForUserNamespace(runAsUser) }] },
  {
    id: 'seccompProfile_restricted', level: PodSecurityLevel.RESTRICTED,
    versions: [{ since: 25, overrides: ['seccompProfile_baseline'], run: seccompProfileRestricted }],
  },
];

/** The implementation of a check in force at a minor version, or undefined when the check is newer. */
function versionAt(check: PssCheck, minor: number): VersionedCheck | undefined {
  let found: VersionedCheck | undefined;
  for (const v of check.versions) if (v.since <= minor) found = v;
  return found;
}

/** {@link checksFor}'s answers, by level and minor (a handful): the checks of a pod are looked up, not rebuilt. */
const CHECKS_FOR = new Map<string, readonly { id: string; impl: VersionedCheck }[]>();

/**
 * The checks a level runs at a policy version: its own and those of less strict levels that exist
 * at that version, minus the ones it overrides.
 */
function checksFor(level: PssLevel, minor: number): readonly { id: string; impl: VersionedCheck }[] {
  const key = `${level} ${minor}`;
  const known = CHECKS_FOR.get(key);
  if (known !== undefined) return known;
  const rank = levelRank(level);
  const active = CHECKS.filter((c) => levelRank(c.level) <= rank)
    .map((c) => ({ id: c.id, impl: versionAt(c, minor) }))
    .filter((c): c is { id: string; impl: VersionedCheck } => c.impl !== undefined);
  const overridden = new Set(active.flatMap((c) => c.impl.overrides ?? []));
  const checks = active.filter((c) => !overridden.has(c.id));
  CHECKS_FOR.set(key, checks);
  return checks;
}

function view(pod: { metadata?: any; spec?: any }): PodView {
  const spec: Json = pod?.spec ?? {};
  return {
    annotations: pod?.metadata?.annotations ?? {},
    spec,
    podSc: spec.securityContext ?? {},
    containers: [
      ...((spec.initContainers ?? []) as Json[]),
      ...((spec.containers ?? []) as Json[]),
      ...((spec.ephemeralContainers ?? []) as Json[]),
    ].map((c) => c ?? {}),
  };
}

/**
 * Checks a pod (an object with optional `metadata` (annotations are used for AppArmor) and a
 * `spec` = PodSpec JSON as in a manifest) against a level of the policy of `version` ("1.27" to
 * "1.37", "v" prefix allowed; default 1.27). Returns [] when it passes.
 */
export function checkPodSecurity(level: PssLevel, pod: { metadata?: any; spec?: any }, version: string = PSS_DEFAULT_VERSION): PssViolation[] {
  const minor = pssMinor(version);
  const checks = checksFor(level, minor);
  const v = view(pod);
  const out: PssViolation[] = [];
  for (const c of checks) {
    const message = c.impl.run(v);
    if (message !== undefined) out.push({ check: c.id, message });
  }
  return out;
}

/** The most restrictive level the pod passes under the policy of `version` (default 1.27). */
export function strictestPassingLevel(pod: { metadata?: any; spec?: any }, version: string = PSS_DEFAULT_VERSION): PssLevel {
  const minor = pssMinor(version);
  const v = view(pod);
  // a check that two levels share runs once
  const results = new Map<VersionedCheck, boolean>();
  const passes = (level: PssLevel): boolean => {
    for (const c of checksFor(level, minor)) {
      let ok = results.get(c.impl);
      if (ok === undefined) results.set(c.impl, (ok = c.impl.run(v) === undefined));
      if (!ok) return false;
    }
    return true;
  };
  for (let i = PSS_LEVELS.length - 1; i > 0; i--) {
    if (passes(PSS_LEVELS[i])) return PSS_LEVELS[i];
  }
  return PSS_LEVELS[0];
}
