import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { Size } from 'cdk8s';
import { addContainer, checkContainerOptions, checkSizeLimit, ContainerOptions } from './_pod/container';
import { addProbes, checkOwnedWorkloadProps, checkProbes, ContainerProbes, createPatternWorkload, OwnedWorkloadProps } from './_owned-workload';
import { PATTERN_ROLES } from './_pod/labels';
import { checkPatternPodProps, PatternPodProps, RestartPolicy } from './_pod/pod';
import { declarePodSecurity } from './_pod/inject';
import { SHARED_VOLUME_POD_SHAPE } from './_pod/prop-types';
import { assertPropTypes, normalizePath, Problems, RULES } from './_pod/rules';
import { declaredLevel, DEFAULT_RESOURCES, Hardening } from './_pod/security';

export { ContainerProbes, OwnedWorkloadProps, PatternWorkloadKind } from './_owned-workload';

/** A container of a {@link SharedVolumePod}: a container plus where it mounts the shared volume. */
export interface SharedVolumeContainerOptions extends ContainerOptions, ContainerProbes {
  /** Where this container mounts the shared volume (absolute path). */
  readonly mountPath: string;
  /**
   * Mount the shared volume read-only.
   * @default false
   */
  readonly readOnly?: boolean;
  /**
   * The container runs to completion (writes its files and exits) instead of serving. Under the
   * restart policy `Always` it would crash-loop, so it runs as an init container before the other
   * containers, in the order given; under `Never` or `OnFailure` it stays a regular container,
   * as in the seed.
   * @default false
   */
  readonly runsToCompletion?: boolean;
}

/**
 * The check Kubernetes makes of a hostPath before mounting it. The values are the Kubernetes
 * strings, so untyped callers may pass them.
 * @see https://kubernetes.io/docs/concepts/storage/volumes/#hostpath-volume-types
 */
export enum HostPathType {
  /** No check (Kubernetes's default). */
  DEFAULT = '',
  /** Create an empty directory (0755) if nothing exists at the path. */
  DIRECTORY_OR_CREATE = 'DirectoryOrCreate',
  /** A directory must exist at the path. */
  DIRECTORY = 'Directory',
  /** Create an empty file (0644) if nothing exists at the path. */
  FILE_OR_CREATE = 'FileOrCreate',
  /** A file must exist at the path. */
  FILE = 'File',
  /** A UNIX socket must exist at the path. */
  SOCKET = 'Socket',
  /** A character device must exist at the path. */
  CHAR_DEVICE = 'CharDevice',
  /** A block device must exist at the path. */
  BLOCK_DEVICE = 'BlockDevice',
}
const HOST_PATH_TYPES: readonly HostPathType[] = Object.values(HostPathType);

/**
 * Where an emptyDir lives. The value is the Kubernetes string.
 * @see https://kubernetes.io/docs/concepts/storage/volumes/#emptydir
 */
export enum EmptyDirMedium {
  /** A tmpfs (RAM-backed): fast, counts against the containers' memory limits, gone on reboot. */
  MEMORY = 'Memory',
}

/** Props of a {@link SharedVolumePod}. */
export interface SharedVolumePodProps extends PatternPodProps, OwnedWorkloadProps {
  /** The containers, in order; at least one must keep running (not `runsToCompletion`). */
  readonly containers: SharedVolumeContainerOptions[];
  /**
   * Name of the shared volume.
   * @default 'shared-data'
   */
  readonly volumeName?: string;
  /**
   * emptyDir medium: `EmptyDirMedium.MEMORY` for a tmpfs (counts against the containers' memory limits).
   * @default - the node's disk
   * @see https://kubernetes.io/docs/concepts/storage/volumes/#emptydir
   */
  readonly emptyDirMedium?: EmptyDirMedium;
  /**
   * emptyDir size limit: a whole number of mebibytes up to 1Ti, written in Mi as cdk8s-plus
   * writes it (`Size.gibibytes(1)` is "1024Mi").
   * @default Size.mebibytes(64)
   */
  readonly emptyDirSizeLimit?: Size;
  /**
   * Share a directory of the node instead of an emptyDir (the seed's `/data`). Forbidden by the
   * `baseline` and `restricted` Pod Security profiles: the pod then declares `privileged`.
   * @default - an emptyDir
   * @see https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
   */
  readonly hostPath?: string;
  /**
   * The hostPath type check.
   * @default HostPathType.DEFAULT ('': no check, as Kubernetes does)
   */
  readonly hostPathType?: HostPathType;
}

/** The default emptyDir size limit of the shared volume. */
export const DEFAULT_SHARED_VOLUME_SIZE_LIMIT: Size = Size.mebibytes(64);

/**
 * Several containers in one pod sharing one pod-level volume: each mounts it at its own path,
 * read-write or read-only (the seed's nginx serving what a debian container writes).
 */
export class SharedVolumePod extends Construct {
  /** The shared emptyDir's default size limit (the TypeScript `DEFAULT_SHARED_VOLUME_SIZE_LIMIT`). */
  public static readonly DEFAULT_SIZE_LIMIT: Size = DEFAULT_SHARED_VOLUME_SIZE_LIMIT;

  /**
   * The cdk8s-plus workload: a Pod, or the Deployment or StatefulSet of `workloadKind`;
   * `ApiObject.of(pod)` reaches the Kubernetes object.
   */
  public readonly pod: kplus.AbstractPod;
  /** The Kubernetes recommended labels on the pod (`app.kubernetes.io/*`). */
  public readonly labels: Readonly<Record<string, string>>;
  /** The shared volume. */
  public readonly volume: kplus.Volume;
  /** The containers, by name, in the order given (init containers included). */
  public readonly containers: Readonly<Record<string, kplus.Container>>;
  /** The hardening applied. */
  public readonly hardening: Hardening;

  constructor(scope: Construct, id: string, props: SharedVolumePodProps) {
    super(scope, id);
    assertPropTypes(this.node.path, props, SHARED_VOLUME_POD_SHAPE);
    const problems = new Problems();
    checkPatternPodProps(problems, props);
    const podPorts = Array.isArray(props.containers) ? props.containers.flatMap((c) => (c && !c.runsToCompletion && Array.isArray(c.ports) ? c.ports : [])) : [];
    checkOwnedWorkloadProps(problems, props, podPorts.length);
    const restartPolicy = props.restartPolicy ?? RestartPolicy.ALWAYS;
    const probes: Array<Record<string, unknown>> = [];
    this.hardening = props.hardening ?? Hardening.RESTRICTED;
    const volumeName = props.volumeName ?? 'shared-data';
    problems.check('volumeName', volumeName, RULES.dnsLabel);
    if (problems.check('containers', props.containers, RULES.nonEmptyList)) {
      const names = new Set<string>();
      props.containers.forEach((c, i) => {
        checkContainerOptions(problems, `containers[${i}]`, c);
        if (problems.check(`containers[${i}].mountPath`, c.mountPath, RULES.absolutePath)) problems.check(`containers[${i}].mountPath`, c.mountPath, RULES.notRoot);
        if ((c.writablePaths ?? []).some((w) => normalizePath(w) === normalizePath(c.mountPath))) {
          problems.add(`containers[${i}].writablePaths`, c.writablePaths, `paths other than the container's mountPath ${JSON.stringify(c.mountPath)}, where the shared volume is mounted`);
        }
        if (names.has(c.name)) problems.add(`containers[${i}].name`, c.name, 'a name not used by another container of the pod');
        names.add(c.name);
        const given = (['readiness', 'liveness', 'startup'] as const).filter((k) => c[k] !== undefined);
        if (c.runsToCompletion && restartPolicy === RestartPolicy.ALWAYS && given.length > 0) {
          problems.add(`containers[${i}].${given[0]}`, 'Probe', 'unset on a runsToCompletion container: it runs as an init container, which takes no probes');
        }
        probes.push(checkProbes(problems, (f) => `containers[${i}].${f}`, c, (c.ports ?? []).map((pt) => pt.number)));
      });
      if (props.containers.every((c) => c.runsToCompletion)) {
        problems.add('containers', props.containers.map((c) => c.name), 'at least one container that keeps running (not runsToCompletion)');
      }
    }
    if (props.emptyDirSizeLimit !== undefined) checkSizeLimit(problems, 'emptyDirSizeLimit', props.emptyDirSizeLimit);
    if (props.emptyDirMedium !== undefined && props.emptyDirMedium !== EmptyDirMedium.MEMORY) problems.add('emptyDirMedium', props.emptyDirMedium, '"Memory", or unset for the node\'s disk');
    if (props.hostPath !== undefined) {
      problems.check('hostPath', props.hostPath, RULES.absolutePath);
      if (props.emptyDirMedium !== undefined || props.emptyDirSizeLimit !== undefined) {
        problems.add('hostPath', props.hostPath, 'either hostPath or emptyDir settings (emptyDirMedium, emptyDirSizeLimit), not both');
      }
    }
    if (props.hostPathType !== undefined) {
      if (props.hostPath === undefined) problems.add('hostPathType', props.hostPathType, 'unset unless hostPath is set');
      else if (!HOST_PATH_TYPES.includes(props.hostPathType)) problems.add('hostPathType', props.hostPathType, `one of ${HOST_PATH_TYPES.map((t) => JSON.stringify(t)).join(', ')}`);
    }
    problems.throwIfAny(this.node.path);

    const created = createPatternWorkload(this, props, PATTERN_ROLES.sharedVolumePod, podPorts);
    this.pod = created.workload;
    this.labels = created.labels;
    this.volume = props.hostPath !== undefined
      ? kplus.Volume.fromHostPath(this, 'Volume', volumeName, { path: props.hostPath, type: props.hostPathType as string as kplus.HostPathVolumeType | undefined })
      : kplus.Volume.fromEmptyDir(this, 'Volume', volumeName, {
        medium: props.emptyDirMedium as string as kplus.EmptyDirMedium | undefined,
        sizeLimit: props.emptyDirSizeLimit ?? DEFAULT_SHARED_VOLUME_SIZE_LIMIT,
      });
    this.pod.addVolume(this.volume);

    const containers: Record<string, kplus.Container> = {};
    for (const c of props.containers) {
      const runsFirst = c.runsToCompletion === true && restartPolicy === RestartPolicy.ALWAYS;
      const container = addContainer(this, this.pod, c, {
        placement: runsFirst ? 'init' : 'container',
        hardening: this.hardening,
        defaultResources: c.runsToCompletion ? DEFAULT_RESOURCES.task : DEFAULT_RESOURCES.webServer,
        podIds: props.securityContext,
      });
      container.mount(c.mountPath, this.volume, { readOnly: c.readOnly ?? false });
      containers[c.name] = container;
    }
    this.containers = containers;
    // after the containers' own rendering (which sets a native sidecar's startupProbe)
    props.containers.forEach((c, i) => addProbes(this.pod, c.name, probes[i]));

    declarePodSecurity(this.pod, declaredLevel({
      hardening: this.hardening,
      hostPath: props.hostPath !== undefined,
      hostPort: props.containers.some((c) => (c.ports ?? []).some((p) => p.hostPort !== undefined)),
      addedCapabilities: props.containers.flatMap((c) => c.securityContext?.addCapabilities ?? []),
    }));
  }
}

