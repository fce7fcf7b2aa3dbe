/**
 * Pod Security Standards checker, Kubernetes 1.27 policy.
 *
 * A re-implementation of the checks of the Pod Security Admission controller
 * (kubernetes/pod-security-admission, package `policy`, each check as it stands at policy version
 * 1.27), over a pod as plain manifest JSON. Check ids are upstream's, so a violation here can be
 * matched to the warning the API server would give. Agreement with upstream is proven by
 * test/pss.test.ts against the project's own test cases (test/fixtures/psa).
 *
 * As upstream:
 * - containers, initContainers and ephemeralContainers are all checked;
 * - a level runs its own checks and every check of the levels below it, except that a restricted
 *   check may replace the baseline check of the same field (capabilities_restricted replaces
 *   capabilities_baseline, seccompProfile_restricted replaces seccompProfile_baseline), so each
 *   problem is reported once;
 * - each failing check gives one violation, whose message names every offending container, volume,
 *   annotation or field and the forbidden values;
 * - pods with `spec.os.name: windows` are exempt from allowPrivilegeEscalation,
 *   capabilities_restricted and seccompProfile_restricted (policy 1.25+).
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */

/** The Pod Security Standards levels. */
export type PssLevel = 'privileged' | 'baseline' | 'restricted';

/** The levels, least to most strict. */
export const PSS_LEVELS: readonly PssLevel[] = Object.freeze(['privileged', 'baseline', 'restricted'] as PssLevel[]);

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

interface PssCheck {
  /** Upstream check id. */
  readonly id: string;
  /** The least strict level that enforces the check. */
  readonly level: 'baseline' | 'restricted';
  /** Baseline check ids this check replaces at its level (upstream's OverrideCheckIDs). */
  readonly overrides?: readonly string[];
  /** The violation message, or undefined when the pod passes. */
  readonly run: (pod: PodView) => string | undefined;
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
// Allowed values (policy 1.27)

/** capabilities_baseline: what may be added (Docker's default set). Case-sensitive, no CAP_ prefix. */
const BASELINE_ADDABLE_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

/** sysctls: the safe set of policy 1.27 (1.29 adds the tcp_keepalive_* and tcp_fin_timeout ones). */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ip_local_reserved_ports',
]);

/** seLinuxOptions: allowed types ('' = unset; policy 1.31 adds container_engine_t). */
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);

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
  for (const c of pod.containers) {
    const used = ((c.ports ?? []) as Json[]).map((p) => p.hostPort).filter((p) => isSet(p) && Number(p) !== 0);
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
  const bad: string[] = [];
  for (const key of Object.keys(pod.annotations).sort()) {
    if (!key.startsWith(APPARMOR_ANNOTATION_PREFIX)) continue;
    const profile = String(pod.annotations[key] ?? '');
    if (profile === '' || profile === 'runtime/default' || profile.startsWith('localhost/')) continue;
    const container = key.slice(APPARMOR_ANNOTATION_PREFIX.length);
    bad.push(`container ${JSON.stringify(container)} must not use AppArmor profile ${JSON.stringify(profile)} (annotation ${key})`);
  }
  if (bad.length === 0) return undefined;
  return `${bad.join('; ')}; allowed: "runtime/default", "localhost/*" or empty`;
}

function seLinuxOptions(pod: PodView): string | undefined {
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

function sysctls(pod: PodView): string | undefined {
  const bad = ((pod.podSc.sysctls ?? []) as Json[]).map((s) => String(s.name)).filter((n) => !SAFE_SYSCTLS.has(n));
  if (bad.length === 0) return undefined;
  return `pod must not set forbidden ${bad.length === 1 ? 'sysctl' : 'sysctls'} ${quoteAll(bad)} in securityContext.sysctls`;
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
    const added = ((caps.add ?? []) as unknown[]).filter((cap) => cap !== 'NET_BIND_SERVICE');
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

/** Every check of the 1.27 policy, in upstream's registration (alphabetical file) order per level. */
const CHECKS: readonly PssCheck[] = [
  { id: 'appArmorProfile', level: 'baseline', run: appArmorProfile },
  { id: 'capabilities_baseline', level: 'baseline', run: capabilitiesBaseline },
  { id: 'hostNamespaces', level: 'baseline', run: hostNamespaces },
  { id: 'hostPathVolumes', level: 'baseline', run: hostPathVolumes },
  { id: 'hostPorts', level: 'baseline', run: hostPorts },
  { id: 'privileged', level: 'baseline', run: privileged },
  { id: 'procMount', level: 'baseline', run: procMount },
  { id: 'seccompProfile_baseline', level: 'baseline', run: seccompProfileBaseline },
  { id: 'seLinuxOptions', level: 'baseline', run: seLinuxOptions },
  { id: 'sysctls', level: 'baseline', run: sysctls },
  { id: 'windowsHostProcess', level: 'baseline', run: windowsHostProcess },
  { id: 'allowPrivilegeEscalation', level: 'restricted', run: allowPrivilegeEscalation },
  { id: 'capabilities_restricted', level: 'restricted', overrides: ['capabilities_baseline'], run: capabilitiesRestricted },
  { id: 'restrictedVolumes', level: 'restricted', run: restrictedVolumes },
  { id: 'runAsNonRoot', level: 'restricted', run: runAsNonRoot },
  { id: 'runAsUser', level: 'restricted', run: runAsUser },
  { id: 'seccompProfile_restricted', level: 'restricted', overrides: ['seccompProfile_baseline'], run: seccompProfileRestricted },
];

/** The checks a level runs: its own and those of less strict levels, minus the ones it overrides. */
function checksFor(level: PssLevel): readonly PssCheck[] {
  const rank = PSS_LEVELS.indexOf(level);
  if (rank < 0) throw new Error(`unknown Pod Security level ${JSON.stringify(level)}; expected one of ${PSS_LEVELS.join(', ')}`);
  const active = CHECKS.filter((c) => PSS_LEVELS.indexOf(c.level) <= rank);
  const overridden = new Set(active.flatMap((c) => c.overrides ?? []));
  return active.filter((c) => !overridden.has(c.id));
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
 * Checks a pod (an object with optional `metadata` (annotations are used for AppArmor in 1.27) and
 * a `spec` = PodSpec JSON as in a manifest) against a level. Returns [] when it passes.
 */
export function checkPodSecurity(level: PssLevel, pod: { metadata?: any; spec?: any }): PssViolation[] {
  const checks = checksFor(level);
  const v = view(pod);
  const out: PssViolation[] = [];
  for (const c of checks) {
    const message = c.run(v);
    if (message !== undefined) out.push({ check: c.id, message });
  }
  return out;
}

/** The most restrictive level the pod passes. */
export function strictestPassingLevel(pod: { metadata?: any; spec?: any }): PssLevel {
  for (let i = PSS_LEVELS.length - 1; i > 0; i--) {
    if (checkPodSecurity(PSS_LEVELS[i], pod).length === 0) return PSS_LEVELS[i];
  }
  return PSS_LEVELS[0];
}
