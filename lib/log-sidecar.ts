import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import * as k8s from './_k8s';
import { checkLogFiles, logFilePath, normalizeDirectory } from './_log/files';
import { FLUENT_BIT } from './_log/fluent-bit';
import { checkRemovedProps } from './_log/removed';
import { checkLogRotation, LogRotation, LogRotationMethod, ResolvedLogRotation, rotatorContainer } from './_log/rotation';
import { LogShipping, LogShippingKind } from './_log/shipping';
import { STREAMING } from './_log/streaming';
import { ShippingVariant } from './_log/variant';
import { checkVolumeSize } from './_log/volume';
import { APP_CONTAINER_PROPS, attachHelper, checkHelperProps, HelperProps } from './_pod/helper';
import { ContainerSpec } from './_pod/inject';
import { helperLabels, PATTERN_ROLES } from './_pod/labels';
import { LOG_SIDECAR_SHAPE } from './_pod/prop-types';
import { assertPropTypes, checkShape, Problems, RULES } from './_pod/rules';
import { containerNames, podView, resolveAppContainer, volumeNames } from './_pod/workload';

export { LogShipping, LogShippingKind } from './_log/shipping';
export { DEFAULT_LOG_STREAMER_IMAGE, ROTATION_DRAIN_SECONDS, rotationStreamingCommand, StreamingShippingOptions } from './_log/streaming';
export { DEFAULT_LOG_AGENT_IMAGE, DEFAULT_LOG_AGENT_RESOURCES, FLUENT_BIT_GRACE_SECONDS, FluentBitShippingOptions } from './_log/fluent-bit';
export { DEFAULT_LOG_VOLUME_SIZE_LIMIT } from './_log/volume';
export { LogParser, LogParserFormat, ParserFieldType, ParserTimeOptions, RegexParserOptions } from './_log/fluent-bit-parser';
export {
  DEFAULT_ELASTICSEARCH_INDEX, DEFAULT_ELASTICSEARCH_PORT, DEFAULT_FORWARD_PORT, ElasticsearchOutputOptions, ForwardOutputOptions, LogOutput, LogOutputKind,
  StdoutFormat, StdoutOutputOptions,
} from './_log/fluent-bit-output';
export {
  fluentBitConfig, FluentBitConfigOptions, FluentBitInput, FLUENT_BIT_CONFIG_DIR, FLUENT_BIT_CONFIG_FILE, FLUENT_BIT_DB_DIR, FLUENT_BIT_PARSERS_FILE,
} from './_log/fluent-bit-config';
export {
  DEFAULT_LOG_ROTATION_CHECK_SECONDS, DEFAULT_LOG_ROTATION_KEEP, LogRotation, logRotationCommand, LogRotationMethod, LogRotationOptions,
  logRotationScript, ResolvedLogRotation, ROTATION_SIGNALS, RotationSignal, SignalLogRotationOptions,
} from './_log/rotation';
export { configDataHash, logAgentConfigHashAnnotation } from './_config-hash';
export { fileStem, streamingCommand, streamingTailCommand, STREAM_STOP_GRACE_SECONDS } from './_log/files';

/** Props of a {@link LogSidecar}. */
export interface LogSidecarProps extends HelperProps {
  /**
   * The absolute directory the app writes its log files to. An emptyDir is mounted there in the
   * app container (read-write) and in the sidecars (read-only), at the same path.
   */
  readonly logDirectory: string;
  /**
   * The log files, relative to `logDirectory` (e.g. `access.log`, `nginx/error.log`); at least one.
   * The app must create them readable by the sidecar's user (mode 0644, or the same user).
   */
  readonly logFiles: string[];
  /**
   * How the files get out of the pod: `LogShipping.streaming()` streams each file to its own
   * container's stdout; `LogShipping.fluentBit({ parser, output })` ships them with a Fluent Bit agent.
   * @default LogShipping.streaming()
   * @see https://kubernetes.io/docs/concepts/cluster-administration/logging/#using-a-sidecar-container-with-the-logging-agent
   */
  readonly shipping?: LogShipping;
  /**
   * With `LogShipping.streaming()`, the prefix of the containers' names (`<name>-<file stem>`,
   * e.g. `log-access`); with `LogShipping.fluentBit()`, the agent container's name.
   * @default - 'log' when streaming, 'fluent-bit' with Fluent Bit
   */
  readonly name?: string;
  /**
   * The name of the shared log volume.
   * @default 'app-logs'
   */
  readonly volumeName?: string;
  /**
   * The log volume's size limit, a whole number of mebibytes (written as `<n>Gi` when a whole
   * number of gibibytes, else `<n>Mi`). The kubelet evicts the pod when the logs outgrow it:
   * rotate them (`rotation`, whose budget is checked against this limit, or in the app).
   * @default Size.mebibytes(512)
   * @see https://kubernetes.io/docs/concepts/storage/volumes/#emptydir
   */
  readonly volumeSizeLimit?: Size;
  /**
   * Rotate the app's log files by size in a rotator container (BusyBox `sh`, running as the
   * app's user, restricted), keeping `keep` rotated copies, so that they cannot fill the log
   * volume: `LogRotation.signal({ maxSize, appUser, processName: 'nginx' })` renames each file
   * and sends nginx USR1 (the pod then gets `shareProcessNamespace: true`), and
   * `LogRotation.copyTruncate({ maxSize, appUser })` copies and truncates, for apps that cannot
   * reopen their logs. The streamers (`tail -F`) and the agent (Fluent Bit's tail input) follow
   * both. Every file with its copies must fit `volumeSizeLimit`: files × (keep + 1) × maxSize.
   * @default - no rotation: the files grow until the pod is evicted, unless the app rotates them
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/share-process-namespace/
   */
  readonly rotation?: LogRotation;
}

const VARIANTS: Record<LogShippingKind, ShippingVariant<any>> = {
  [LogShippingKind.STREAMING]: STREAMING,
  [LogShippingKind.FLUENT_BIT]: FLUENT_BIT,
};

/**
 * The logging sidecar pattern on any workload (cdk8s-plus 27 to 33, an L1 object, an `Include`d
 * manifest): the app writes log files into a shared
 * emptyDir, and sidecars that mount it read-only get them out of the pod, either streamed to
 * their own stdout (`LogShipping.streaming()`: one BusyBox `tail -n+1 -F` per file, under a shell
 * that stops on SIGTERM, so `kubectl logs POD -c log-<stem>` shows each) or shipped by a Fluent
 * Bit agent configured from typed options through a ConfigMap (`LogShipping.fluentBit({...})`).
 *
 * On a Job or CronJob, use `nativeSidecar` (Kubernetes 1.29+): a regular sidecar never exits, so
 * the Job's pod would never complete.
 *
 * Each streaming container gets the helper's default resources (10m CPU, 32Mi memory requested,
 * 64Mi limit); the agent gets {@link DEFAULT_LOG_AGENT_RESOURCES} (20m, 64Mi, 128Mi limit), unless
 * `resources` says otherwise.
 *
 * @see https://kubernetes.io/docs/concepts/cluster-administration/logging/#streaming-sidecar-container
 */
export class LogSidecar extends Construct {
  /** How the files are shipped: the `shipping` given, or `LogShipping.streaming()`. */
  public readonly shipping: LogShipping;
  /** The log directory, normalized (no trailing "/"). */
  public readonly logDirectory: string;
  /** The absolute paths of the log files, in the order given. */
  public readonly logPaths: string[];
  /** The name of the app container, which mounts the log volume read-write. */
  public readonly appContainerName: string;
  /** The shared log volume (an emptyDir), as written into the pod. */
  public readonly volume: k8s.Volume;
  /**
   * The sidecars: one per log file when streaming, the Fluent Bit agent with Fluent Bit, then the
   * rotator with `rotation`. These are the Kubernetes container specs written into the pod, field
   * for field (tweak them before synthesis).
   */
  public readonly sidecars: ContainerSpec[];
  /** With Fluent Bit: the ConfigMap holding the generated configuration. */
  public readonly configMap?: kplus.ConfigMap;
  /**
   * The Kubernetes recommended labels of the objects this helper creates (`app.kubernetes.io/*`,
   * component `log-sidecar`); label objects you add for it (a ServiceMonitor, say) with them too.
   */
  public readonly labels: Readonly<Record<string, string>>;
  /** With Fluent Bit: the generated configuration files (file name to content), as in the ConfigMap. */
  public readonly agentConfig?: Readonly<Record<string, string>>;
  /** With `rotation`: the rotator container (also the last of `sidecars`). */
  public readonly rotator?: ContainerSpec;
  /** With `rotation`: the resolved rotation its script is generated from. */
  public readonly rotation?: ResolvedLogRotation;

  constructor(scope: Construct, id: string, props: LogSidecarProps) {
    super(scope, id);
    const problems = new Problems();
    if (props === null || typeof props !== 'object' || Array.isArray(props)) assertPropTypes(this.node.path, props, LOG_SIDECAR_SHAPE);
    // the props `shipping` replaced, then the runtime types, reported together
    checkRemovedProps(problems, props);
    checkShape(problems, '', props as unknown as Record<string, unknown>, LOG_SIDECAR_SHAPE);
    problems.throwIfAny(this.node.path);

    const workload = checkHelperProps(problems, this, props);
    const labels = helperLabels(problems, PATTERN_ROLES.logSidecar, props, workload);
    const shipping = props.shipping ?? LogShipping.streaming();
    const variant = VARIANTS[shipping.kind];
    const name = props.name ?? variant.defaultName;
    const volumeName = props.volumeName ?? 'app-logs';

    const { dir, ok: dirOk, files } = checkLogFiles(problems, props.logDirectory, props.logFiles);
    if (dirOk) variant.checkDirectory(problems, dir, props.logDirectory);
    if (problems.check('name', name, RULES.dnsLabel)) variant.checkName(problems, name);
    problems.check('volumeName', volumeName, RULES.dnsLabel);
    const size = checkVolumeSize(problems, 'volumeSizeLimit', props.volumeSizeLimit);
    const options = variant.resolve(problems, shipping._options);

    const view = workload && podView(workload);
    const app = resolveAppContainer(problems, workload, { container: props.appContainer, name: props.appContainerName }, APP_CONTAINER_PROPS, true, view);
    const sidecarNames = variant.sidecarNames(name, files);
    const rotatorName = variant.rotatorName(name);
    const paths = files.map((f) => logFilePath(dir, f));
    let rotation: ResolvedLogRotation | undefined;
    if (props.rotation !== undefined) {
      rotation = checkLogRotation(problems, props.rotation, { paths, sizeLimit: size?.quantity ?? '', sizeLimitBytes: size?.bytes });
      if (sidecarNames.includes(rotatorName)) problems.add('name', name, `a prefix whose rotator container name ${JSON.stringify(rotatorName)} is not also a streamer's (rename the log file or the prefix)`);
    }
    if (rotation) sidecarNames.push(rotatorName);
    if (view) {
      const podContainers = new Set(containerNames(view));
      const clash = sidecarNames.filter((n) => podContainers.has(n));
      if (clash.length > 0) problems.add('name', name, `a name whose sidecar containers are not already in the workload (${clash.map((n) => JSON.stringify(n)).join(', ')} ${clash.length === 1 ? 'is' : 'are'})`);
      const volumes = volumeNames(view);
      if (volumes.has(volumeName)) problems.add('volumeName', volumeName, 'a volume name not used by another volume of the workload');
      const own = variant.ownVolumes(name);
      if (own.length > 0 && volumes.has(own[0])) problems.add('name', name, `a name whose "${own[0]}" volume is not already in the workload`);
      if (own.includes(volumeName)) problems.add('volumeName', volumeName, `a name other than the agent's own volumes (${own.map((v) => JSON.stringify(v)).join(', ')})`);
      const mounted = (app?.volumeMounts ?? []).find((m: any) => normalizeDirectory(m.mountPath) === dir);
      if (mounted && dir !== '/') problems.add('logDirectory', props.logDirectory, `a path where the app container mounts nothing yet (it mounts ${JSON.stringify(mounted.name)} there)`);
    }
    problems.throwIfAny(this.node.path);

    this.labels = labels;
    this.shipping = shipping;
    this.logDirectory = dir;
    this.logPaths = paths;
    this.appContainerName = app.name;
    this.volume = { name: volumeName, emptyDir: { sizeLimit: k8s.Quantity.fromString(size!.quantity) } };
    const logMount = (readOnly: boolean): k8s.VolumeMount => (readOnly ? { mountPath: dir, name: volumeName, readOnly: true } : { mountPath: dir, name: volumeName });
    const plan = variant.render(this, options, { name, files, paths, rotation, logMount: logMount(true), workload: workload!.apiObject, labels });
    this.rotation = rotation;
    this.agentConfig = plan.agentConfig;
    this.configMap = plan.configMap;
    const given = props.rotation as LogRotation;
    const rotator = rotation && rotatorContainer(rotatorName, given.image ?? variant.defaultRotatorImage(options), rotation, given.appUser, logMount(false));
    const attached = attachHelper(this, workload!, props, {
      appContainerName: this.appContainerName,
      appContainer: { volumeMounts: [logMount(false)] },
      // signal rotation: the rotator must see the app's processes to send them the reopen signal
      ...(rotation?.method === LogRotationMethod.SIGNAL ? { pod: { shareProcessNamespace: true } } : {}),
      volumes: [this.volume, ...plan.volumes],
      containers: [...plan.containers, ...(rotator ? [rotator] : [])],
      ...(plan.configMaps ? { configMaps: plan.configMaps } : {}),
      lifecycle: plan.lifecycle,
    });
    this.sidecars = attached.containers;
    this.rotator = rotation ? attached.containers[attached.containers.length - 1] : undefined;
  }
}
