/**
 * Checks every rendered object before anything is written: the strict Kubernetes schema of the
 * chart's target version (never older than the cdk8s-plus major an object comes from), the metadata rules of the API server (lib/synth/metadata.ts),
 * the pod-wide checks, the Pod Security profile each workload declares,
 * and duplicate objects.
 */
import { ApiObject, Chart } from 'cdk8s';
import { checkManifestPod, hasPodChecks } from '../_pod/checks';
import { checkPodSecurity } from '../_pod/pss';
import { podMetadataOf, podSpecOf } from '../_pod/inject';
import { describeLevels, isPodSecurityLevel } from '../_pod/pod-security';
import { POD_SECURITY_ANNOTATION } from '../_pod/security';
import { kubernetesVersionOf, plusMajorOf, schemaVersionFor, workloadVersionProblem } from '../_pod/version';
import { RenderedChart } from './collect';
import { checkMetadata } from './metadata';
import { KubernetesVersion, validateManifest } from './schema';

/**
 * The checks of an app, chart by chart (what one chart's checks need of the charts before it, the
 * objects seen, is kept as one short string per object): so that a synth can write each chart as
 * soon as it is checked and let go of its manifests.
 */
export class AppChecker {
  /** The schema version a chart's objects are checked against (what {@link checkObject} takes). */
  public static versionOf(chart: Chart): KubernetesVersion {
    return schemaVersionFor(kubernetesVersionOf(chart));
  }

  private readonly seen = new Map<string, string>();

  /** Returns every problem of one rendered chart, each naming the object's construct path. */
  public checkChart({ chart, objects }: RenderedChart): string[] {
    const version = AppChecker.versionOf(chart);
    return objects.flatMap(({ apiObject, manifest }) => this.checkObject(chart, version, apiObject, manifest));
  }

  /** Returns every problem of one rendered object of `chart` (checked against `version`), each naming its construct path. */
  public checkObject(chart: Chart, version: KubernetesVersion, apiObject: ApiObject, manifest: any): string[] {
    const errors: string[] = [];
    const seen = this.seen;
    {
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
      const generated = (): boolean => {
        try {
          return manifest.metadata?.name === (chart as Chart).generateObjectName(apiObject);
        } catch {
          return false; // a chart whose name generator throws: the name is not called generated
        }
      };
      for (const e of checkMetadata(manifest, generated)) errors.push(`${at} ${e}`);
      if (!hasPodChecks(apiObject)) for (const e of checkManifestPod(manifest)) errors.push(`${at} ${e}`);

      const declared = manifest.metadata?.annotations?.[POD_SECURITY_ANNOTATION];
      const spec = podSpecOf(manifest);
      if (declared !== undefined && spec) {
        if (!isPodSecurityLevel(declared)) {
          errors.push(`${at} metadata.annotations["${POD_SECURITY_ANNOTATION}"]: received ${JSON.stringify(declared)}; expected one of ${describeLevels()}`);
          return errors;
        }
        for (const v of checkPodSecurity(declared, { metadata: podMetadataOf(manifest), spec }, version)) {
          errors.push(`${at} Pod Security "${declared}" (declared): ${v.check}: ${v.message}`);
        }
      }
    }
    return errors;
  }
}

/** Returns every problem of the rendered app, each naming the object's construct path. */
export function checkRendered(charts: readonly RenderedChart[]): string[] {
  const checker = new AppChecker();
  return charts.flatMap((c) => checker.checkChart(c));
}
