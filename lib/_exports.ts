// Every value of the TypeScript API (classes, enums, functions, constants): lib/index.ts exports
// them all from here, and lib/patterns.ts re-exposes them as static members, importing them from
// here rather than from ./index so that index.ts can export Patterns without a cycle. The API's
// interfaces and types are exported by index.ts alone.
export * from './shared-volume-pod';
export * from './war-sidecar-pod';
export * from './proxy-ambassador';
export * from './log-sidecar';
export * from './debug-sidecar';
export * from './adapter';
export * from './pod-security-namespace';
export * from './harden';
export * from './http-adapter';
export { Hardening, POD_SECURITY_ANNOTATION, DEFAULT_RESOURCES } from './_pod/security';
export { PortProtocol } from './_pod/container';
export { RestartPolicy } from './_pod/pod';
export { PropsError } from './_pod/rules';
export { RECOMMENDED_LABEL_KEYS, MANAGED_BY, PATTERN_ROLES, recommendedLabels } from './_pod/labels';
export { setKubernetesVersion, kubernetesVersionOf, KUBERNETES_VERSION_CONTEXT } from './_pod/version';
export { synth, synthToMemory, runSynth, SynthError } from './synth';
export { validateManifest, KubernetesVersion } from './synth/schema';
export { DEFAULT_APP_DRAIN_SECONDS, DEFAULT_TERMINATION_GRACE_SECONDS, HOLD_APP_TIMEOUT_SECONDS, holdUntilListeningCommand } from './_pod/lifecycle';
