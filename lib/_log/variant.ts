/**
 * What a LogSidecar asks of each shipping variant (streaming.ts, fluent-bit.ts): its defaults,
 * the checks of its options and of the names it derives, and the containers, volumes and
 * ConfigMaps it adds to the pod. Internal: the public face is {@link LogShipping}.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import * as k8s from '../_k8s';
import { HelperContainerOptions, HelperLifecycleOptions } from '../_pod/helper';
import { GeneratedConfigMap } from '../_pod/inject';
import { Problems } from '../_pod/rules';
import { ResolvedLogRotation } from './rotation';

/** What the LogSidecar has resolved when the variant renders its part. */
export interface ShippingInput {
  /** The sidecars' name (the streamers' prefix, the agent's name). */
  readonly name: string;
  /** The log files as given, relative to the log directory. */
  readonly files: readonly string[];
  /** Their absolute paths. */
  readonly paths: readonly string[];
  /** The resolved rotation, when the files are rotated. */
  readonly rotation?: ResolvedLogRotation;
  /** The log volume's mount, read-only for the sidecars. */
  readonly logMount: k8s.VolumeMount;
  /** The pod-bearing object (objects the variant creates go to its namespace). */
  readonly workload: ApiObject;
  /** The helper's recommended labels, for the objects the variant creates. */
  readonly labels: Readonly<Record<string, string>>;
}

/** The containers, volumes and ConfigMaps a variant adds (before the rotator, which the LogSidecar adds). */
export interface ShippingPlan {
  readonly containers: HelperContainerOptions[];
  /** Volumes besides the log volume. */
  readonly volumes: k8s.Volume[];
  readonly configMaps?: GeneratedConfigMap[];
  readonly lifecycle: HelperLifecycleOptions;
  /** The ConfigMap the variant created, if any. */
  readonly configMap?: kplus.ConfigMap;
  /** The generated configuration files (file name to content), if any. */
  readonly agentConfig?: Readonly<Record<string, string>>;
}

/** One shipping variant; `O` is its options with their defaults applied. */
export interface ShippingVariant<O> {
  /** The default of the LogSidecar's `name`. */
  readonly defaultName: string;
  /** Checks the options as given (problems under `shipping.*`) and applies the defaults. */
  resolve(problems: Problems, given: unknown): O;
  /** Checks `name` (a DNS label already) against what the variant derives from it. */
  checkName(problems: Problems, name: string): void;
  /** Checks the (normalized) log directory against the variant's own paths. */
  checkDirectory(problems: Problems, dir: string, given: unknown): void;
  /** The names of its sidecar containers. */
  sidecarNames(name: string, files: readonly string[]): string[];
  /** The rotator container's name. */
  rotatorName(name: string): string;
  /** The volumes it adds (besides the log volume), by name. */
  ownVolumes(name: string): string[];
  /** The rotator's default image. */
  defaultRotatorImage(options: O): string;
  /** Builds its part (creating its ConfigMap under `scope`). */
  render(scope: Construct, options: O, input: ShippingInput): ShippingPlan;
}

/** Whether a value is a plain options object (what a factory's caller passed). */
export function isOptions(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
