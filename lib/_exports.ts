// The TypeScript exports lib/patterns.ts re-exposes as static members (imported from here, not
// from ./index, so that index.ts can export Patterns without a cycle).
export * from './shared-volume-pod';
export * from './war-sidecar-pod';
export * from './proxy-ambassador';
export * from './log-sidecar';
export * from './debug-sidecar';
export * from './adapter';
export * from './pod-security-namespace';
export * from './harden';
export * from './http-adapter';
export { POD_SECURITY_ANNOTATION, DEFAULT_RESOURCES } from './_pod/security';
export { RECOMMENDED_LABEL_KEYS, MANAGED_BY, PATTERN_ROLES, recommendedLabels } from './_pod/labels';
export { setKubernetesVersion, kubernetesVersionOf, KUBERNETES_VERSION_CONTEXT } from './_pod/version';
export { synth, synthToMemory, runSynthOf } from './synth';
export { validateManifest, KubernetesVersion } from './synth/schema';
export { DEFAULT_APP_DRAIN_SECONDS, DEFAULT_TERMINATION_GRACE_SECONDS, HOLD_APP_TIMEOUT_SECONDS, holdUntilListeningCommand } from './_pod/lifecycle';
