/**
 * The one Pod Security vocabulary of the library: the levels and their order, the Pod Security
 * Admission modes, and the capability lists of the baseline and restricted profiles. The evaluator
 * (pss.ts), the declared level of a pattern's pods (security.ts, inject.ts), the synth check
 * (synth/check.ts), `PodSecurityNamespace` and `DebugSidecar` all read them from here.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */

/**
 * A Pod Security Standards level. The values are the Kubernetes names (the values of the
 * `pod-security.kubernetes.io/<mode>` namespace labels), so untyped callers may pass the strings.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export enum PodSecurityLevel {
  /** Unrestricted: allows known privilege escalations. */
  PRIVILEGED = 'privileged',
  /** Prevents known privilege escalations; allows the default (minimally specified) pod. */
  BASELINE = 'baseline',
  /** Heavily restricted: current pod hardening best practices. */
  RESTRICTED = 'restricted',
}

/**
 * A Pod Security Admission mode: what the API server does with a pod that violates the level of
 * the mode's namespace label. The values are the Kubernetes label names.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces
 */
export enum PodSecurityMode {
  /** Violations reject the pod. */
  ENFORCE = 'enforce',
  /** Violations are recorded in the audit log. */
  AUDIT = 'audit',
  /** Violations are returned to the client as warnings. */
  WARN = 'warn',
}

/** The levels, least to most strict: the one order every comparison uses. */
export const POD_SECURITY_LEVELS: readonly PodSecurityLevel[] = Object.freeze([
  PodSecurityLevel.PRIVILEGED, PodSecurityLevel.BASELINE, PodSecurityLevel.RESTRICTED,
]);

/** The modes, in the order their namespace labels are written. */
export const POD_SECURITY_MODES: readonly PodSecurityMode[] = Object.freeze([
  PodSecurityMode.ENFORCE, PodSecurityMode.AUDIT, PodSecurityMode.WARN,
]);

/** Whether a value (from an untyped caller, an annotation) is a Pod Security level. */
export function isPodSecurityLevel(value: unknown): value is PodSecurityLevel {
  return (POD_SECURITY_LEVELS as readonly unknown[]).includes(value);
}

/** The levels as a list for messages: `"privileged", "baseline", "restricted"`. */
export function describeLevels(): string {
  return POD_SECURITY_LEVELS.map((l) => JSON.stringify(l)).join(', ');
}

/** The rank of a level, 0 (privileged) to 2 (restricted); throws on anything else. */
export function levelRank(level: PodSecurityLevel): number {
  const rank = POD_SECURITY_LEVELS.indexOf(level);
  if (rank < 0) throw new Error(`unknown Pod Security level ${JSON.stringify(level)}; expected one of ${describeLevels()}`);
  return rank;
}

/** Negative when `a` is less strict than `b`, 0 when equal, positive when stricter. */
export function compareLevels(a: PodSecurityLevel, b: PodSecurityLevel): number {
  return levelRank(a) - levelRank(b);
}

/** The least strict of the given levels; `restricted` when none is given. */
export function weakestLevel(...levels: PodSecurityLevel[]): PodSecurityLevel {
  return levels.reduce((a, b) => (compareLevels(a, b) <= 0 ? a : b), PodSecurityLevel.RESTRICTED);
}

/**
 * The capabilities the baseline profile allows to be added (check capabilities_baseline: Docker's
 * default set). Case-sensitive, without the `CAP_` prefix.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
 */
export const BASELINE_CAPABILITIES: readonly string[] = Object.freeze([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

/**
 * The capabilities the restricted profile allows to be added (check capabilities_restricted),
 * after dropping ALL: a subset of {@link BASELINE_CAPABILITIES}.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export const RESTRICTED_CAPABILITIES: readonly string[] = Object.freeze(['NET_BIND_SERVICE']);

/** The strictest level whose profile allows adding these capabilities. */
export function capabilitiesLevel(added: readonly string[]): PodSecurityLevel {
  if (added.some((c) => !BASELINE_CAPABILITIES.includes(c))) return PodSecurityLevel.PRIVILEGED;
  if (added.some((c) => !RESTRICTED_CAPABILITIES.includes(c))) return PodSecurityLevel.BASELINE;
  return PodSecurityLevel.RESTRICTED;
}
