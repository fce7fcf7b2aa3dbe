/**
 * Checks every rendered object before anything is written: the strict Kubernetes schema of the
 * chart's target version (never older than the cdk8s-plus major an object comes from), the metadata rules of the API server (lib/synth/metadata.ts),
 * the pod-wide checks, the Pod Security profile each workload declares,
 * and duplicate objects.
 */
import { Chart } from 'cdk8s';
import { checkManifestPod, hasPodChecks } from '../_pod/checks';
import { checkPodSecurity } from '../_pod/pss';
import { podMetadataOf, podSpecOf } from '../_pod/inject';
import { describeLevels, isPodSecurityLevel } from '../_pod/pod-security';
import { POD_SECURITY_ANNOTATION } from '../_pod/security';
import { kubernetesVersionOf, plusMajorOf, schemaVersionFor, workloadVersionProblem } from '../_pod/version';
import { RenderedChart } from './collect';
import { checkMetadata } from './metadata';
import { validateManifest } from './schema';

/** Returns every problem of the rendered app, each naming the object's construct path. */
export function checkRendered(charts: readonly RenderedChart[]): string[] {
  const errors: string[] = [];
  const seen = new Map<string, string>();
  for (const { chart, objects } of charts) {
    const version = schemaVersionFor(kubernetesVersionOf(chart as Chart));
    for (const { apiObject, manifest } of objects) {
      const at = `[${apiObject.node.path}]`;
      const id = `${manifest.apiVersion}/${manifest.kind} ${manifest.metadata?.namespace ?? chart.namespace ?? '(default namespace)'}/${manifest.metadata?.name}`;
      const other = seen.get(id);
      if (other) errors.push(`${at} metadata.name: received ${JSON.stringify(manifest.metadata?.name)}; expected a name not used by another ${manifest.kind} in the same namespace (${other} has it)`);
      else seen.set(id, apiObject.node.path);

      const owner = apiObject.node.scope;
      const tooOld = owner && workloadVersionProblem(chart, `${manifest.kind} ${JSON.stringify(manifest.metadata?.name)}`, plusMajorOf(owner));
      if (tooOld) errors.push(`${at} ${tooOld}`);
      for (const v of validateManifest(manifest, version)) {
        errors.push(`${at} Kubernetes ${version} schema: ${v.path || '/'}: ${v.message}`);
      }
      let generated = false;
      try {
        generated = manifest.metadata?.name === (chart as Chart).generateObjectName(apiObject);
      } catch {
        // a chart whose name generator throws: the name is not called generated
      }
      for (const e of checkMetadata(manifest, generated)) errors.push(`${at} ${e}`);
      if (!hasPodChecks(apiObject)) for (const e of checkManifestPod(manifest)) errors.push(`${at} ${e}`);

      const declared = manifest.metadata?.annotations?.[POD_SECURITY_ANNOTATION];
      const spec = podSpecOf(manifest);
      if (declared !== undefined && spec) {
        if (!isPodSecurityLevel(declared)) {
          errors.push(`${at} metadata.annotations["${POD_SECURITY_ANNOTATION}"]: received ${JSON.stringify(declared)}; expected one of ${describeLevels()}`);
          continue;
        }
        for (const v of checkPodSecurity(declared, { metadata: podMetadataOf(manifest), spec }, version)) {
          errors.push(`${at} Pod Security "${declared}" (declared): ${v.check}: ${v.message}`);
        }
      }
    }
  }
  return errors;
}
