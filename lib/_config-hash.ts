/**
 * Config hashes on the pod template: the one mechanism every helper uses. A ConfigMap edited in
 * place restarts nothing, and the helpers' programs (Fluent Bit, HAProxy, nginx) read their
 * configuration only at start, so every ConfigMap a helper generates puts the SHA-256 of its
 * content in the pod template's annotations (part data, written by the injection step): a changed
 * configuration changes the template, and the Deployment (StatefulSet, DaemonSet) rolls its pods.
 * On a bare Pod the annotation goes on the Pod itself (a Pod cannot roll; it shows the change).
 * Every annotation name comes from one function here, {@link configHashAnnotationName}
 * (`<container>.<pattern>.pod-patterns.dev/<file>-sha256`); the public names delegate to it:
 * logAgentConfigHashAnnotation and stubStatusHashAnnotation here, configHashAnnotation
 * (ProxyAmbassador) and httpAdapterConfigHashAnnotation (HttpCompatAdapter) next to their constructs.
 */
import { createHash } from 'crypto';

/** The SHA-256 of a ConfigMap's data, over its keys in order (`key\0value\0`). */
export function configDataHash(data: Readonly<Record<string, string>>): string {
  const h = createHash('sha256');
  for (const k of Object.keys(data).sort()) h.update(`${k}\0${data[k]}\0`);
  return h.digest('hex');
}

/** The pattern whose helper generated the ConfigMap: the annotation's domain, before `.pod-patterns.dev`. */
export type ConfigHashPattern = 'log-sidecar' | 'proxy' | 'adapter';

/**
 * The one naming function of the config-hash annotations: the pod-template annotation holding
 * the SHA-256 of the `file` ConfigMap a helper container of `pattern` mounts,
 * `<container>.<pattern>.pod-patterns.dev/<file>-sha256`.
 */
export function configHashAnnotationName(containerName: string, pattern: ConfigHashPattern, file: string = 'config'): string {
  return `${containerName}.${pattern}.pod-patterns.dev/${file}-sha256`;
}

/** The pod-template annotation of a LogSidecar agent's Fluent Bit configuration. */
export function logAgentConfigHashAnnotation(containerName: string): string {
  return configHashAnnotationName(containerName, 'log-sidecar');
}

// A literal, for its public type: what configHashAnnotationName(name, 'adapter', 'stub-status') writes after `<name>.`.
/** The pod-template annotation holding the SHA-256 of the stub_status server block (nginx reads it only at start), after `<adapter name>.`. */
export const STUB_STATUS_HASH_ANNOTATION_SUFFIX = 'adapter.pod-patterns.dev/stub-status-sha256';

/** The pod-template annotation holding the SHA-256 of the nginx exporter preset's stub_status server block. */
export function stubStatusHashAnnotation(adapterName: string): string {
  return configHashAnnotationName(adapterName, 'adapter', 'stub-status');
}
