export * from './shared-volume-pod';
export * from './war-sidecar-pod';
export * from './adapter';
export { Hardening, ContainerSecurityOptions, ResourceOptions, PodSecurityLevel, POD_SECURITY_ANNOTATION, DEFAULT_RESOURCES } from './_pod/security';
export { ContainerOptions, PortOptions } from './_pod/container';
export { PatternPodProps, PodSecurityOptions, RestartPolicy } from './_pod/pod';
export { PropsError } from './_pod/rules';
export { setKubernetesVersion, kubernetesVersionOf, KUBERNETES_VERSION_CONTEXT } from './_pod/version';
export { synth, synthToMemory, runSynth, SynthError, SynthOptions, SynthResult } from './synth';
