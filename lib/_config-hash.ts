/**
 * Config hashes on the pod template. A ConfigMap edited in place restarts nothing, and the
 * helpers' programs (Fluent Bit, HAProxy, nginx) read their configuration only at start, so every
 * ConfigMap a helper generates stamps the SHA-256 of its content on the pod template: a changed
 * configuration changes the template, and the Deployment (StatefulSet, DaemonSet) rolls its pods.
 * On a bare Pod the annotation goes on the Pod itself (a Pod cannot roll; it shows the change).
 */
import { createHash } from 'crypto';
import * as kplus from 'cdk8s-plus-27';

/** The SHA-256 of a ConfigMap's data, over its keys in order (`key\0value\0`). */
export function configDataHash(data: Readonly<Record<string, string>>): string {
  const h = createHash('sha256');
  for (const k of Object.keys(data).sort()) h.update(`${k}\0${data[k]}\0`);
  return h.digest('hex');
}

/** Sets `annotation` to `hash` on the workload's pod template (a bare Pod's own metadata). */
export function stampConfigHash(workload: kplus.AbstractPod, annotation: string, hash: string): void {
  const meta = workload instanceof kplus.Workload ? workload.podMetadata : workload.metadata;
  meta.addAnnotation(annotation, hash);
}

/** The pod-template annotation of a LogSidecar agent's Fluent Bit configuration. */
export function logAgentConfigHashAnnotation(containerName: string): string {
  return `${containerName}.log-sidecar.pod-patterns.dev/config-sha256`;
}
