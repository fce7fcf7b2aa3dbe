import { ApiObject, Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import * as k8s from '../imports/k8s';
import { LOG_DIRECTORY_CHARS, LOG_FILE_RULE, logFilePath, normalizeDirectory, STREAM_STOP_GRACE_SECONDS, streamingCommand, uniqueIds } from './_log-files';
import {
  checkOutput, checkParser, FLUENT_BIT_BINARY, FLUENT_BIT_CONFIG_DIR, FLUENT_BIT_CONFIG_FILE, FLUENT_BIT_DB_DIR,
  FLUENT_BIT_RULES, fluentBitConfig, LogOutput, LogParser,
} from './_log-fluent-bit';
import {
  checkLogRotation, LOG_ROTATOR_SUFFIX, LogRotation, logRotationCommand, LogRotationMethod, ResolvedLogRotation, rotationStreamingCommand,
} from './_log-rotation';
import { logAgentConfigHashAnnotation } from './_config-hash';
import { APP_CONTAINER_PROPS, attachHelper, checkHelperProps, HelperContainerOptions, HelperProps } from './_pod/helper';
import { ContainerSpec } from './_pod/inject';
import { helperLabels, helperObjectMetadata, PATTERN_ROLES } from './_pod/labels';
import { LOG_SIDECAR_SHAPE } from './_pod/prop-types';
import { assertPropTypes, Problems, RULES, sizeLimitBytes } from './_pod/rules';
import { DEFAULT_RESOURCES, ResourceOptions } from './_pod/security';
import { containerNames, podView, resolveAppContainer, volumeNames } from './_pod/workload';

export {
  ElasticsearchOutputOptions, fluentBitConfig, FluentBitConfigOptions, FluentBitInput, ForwardOutputOptions, LogOutput,
  LogParser, ParserFieldType, ParserTimeOptions, RegexParserOptions, StdoutFormat, StdoutOutputOptions, FLUENT_BIT_CONFIG_DIR,
  FLUENT_BIT_CONFIG_FILE, FLUENT_BIT_PARSERS_FILE, FLUENT_BIT_DB_DIR, DEFAULT_FORWARD_PORT, DEFAULT_ELASTICSEARCH_PORT,
  DEFAULT_ELASTICSEARCH_INDEX,
} from './_log-fluent-bit';
export {
  DEFAULT_LOG_ROTATION_CHECK_SECONDS, DEFAULT_LOG_ROTATION_KEEP, LogRotation, logRotationCommand, LogRotationMethod, LogRotationOptions,
  logRotationScript, ResolvedLogRotation, ROTATION_DRAIN_SECONDS, ROTATION_SIGNALS, rotationStreamingCommand, SignalLogRotationOptions,
} from './_log-rotation';
export { configDataHash, logAgentConfigHashAnnotation } from './_config-hash';
export { fileStem, streamingCommand, streamingTailCommand, STREAM_STOP_GRACE_SECONDS } from './_log-files';

/**
 * How a {@link LogSidecar} gets the app's log files out of the pod.
 * - `streaming`: one small container per file prints it to its own stdout, so the node's logging
 *   agent collects it and `kubectl logs POD -c <container>` shows it.
 * - `agent`: one Fluent Bit container tails every file and ships the records to a backend.
 * @see https://kubernetes.io/docs/concepts/cluster-administration/logging/#sidecar-container-with-logging-agent
 */
export type LogSidecarMode = 'streaming' | 'agent';
const MODES: readonly LogSidecarMode[] = ['streaming', 'agent'];

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
   * Stream each file to its own container's stdout, or ship them with a Fluent Bit agent.
   * @default 'streaming'
   * @see https://kubernetes.io/docs/concepts/cluster-administration/logging/#using-a-sidecar-container-with-the-logging-agent
   */
  readonly mode?: LogSidecarMode;
  /**
   * In streaming mode, the prefix of the containers' names (`<name>-<file stem>`, e.g.
   * `log-access`); in agent mode, the agent container's name.
   * @default - 'log' in streaming mode, 'fluent-bit' in agent mode
   */
  readonly name?: string;
  /**
   * The name of the shared log volume.
   * @default 'app-logs'
   */
  readonly volumeName?: string;
  /**
   * The log volume's size limit. The kubelet evicts the pod when the logs outgrow it: rotate them
   * (`rotation`, whose budget is checked against this limit, or in the app).
   * @default '512Mi'
   * @see https://kubernetes.io/docs/concepts/storage/volumes/#emptydir
   */
  readonly volumeSizeLimit?: string;
  /**
   * The streaming containers' image (it must have `sh`, `sleep` and `tail` on its PATH, as BusyBox has), pinned.
   * @default DEFAULT_LOG_STREAMER_IMAGE ('busybox:1.36.1')
   */
  readonly streamerImage?: string;
  /**
   * The agent's image: an official Fluent Bit image (its binary at /fluent-bit/bin/fluent-bit), pinned.
   * @default DEFAULT_LOG_AGENT_IMAGE ('fluent/fluent-bit:3.2.10')
   */
  readonly agentImage?: string;
  /**
   * Agent mode: how each line is parsed.
   * @default - `LogParser.none()` (the line becomes the field `log`)
   * @see https://docs.fluentbit.io/manual/pipeline/parsers/configuring-parser
   */
  readonly parser?: LogParser;
  /**
   * Agent mode: where records are sent.
   * @default - `LogOutput.stdout()` (JSON lines on the agent's stdout)
   */
  readonly output?: LogOutput;
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
  /**
   * The rotator's image (it must have BusyBox's `sh`, `stat`, `mv`, `cp`, `rm`, `kill` and `sleep`), pinned.
   * @default - `streamerImage` in streaming mode, else DEFAULT_LOG_STREAMER_IMAGE ('busybox:1.36.1')
   */
  readonly rotatorImage?: string;
  /**
   * Agent mode: the first part of every record's tag (`<tagPrefix>.<file stem>`).
   * @default 'app'
   */
  readonly tagPrefix?: string;
}

/** The streaming containers' default image: the BusyBox release the Kubernetes docs' pattern runs on, pinned. */
export const DEFAULT_LOG_STREAMER_IMAGE = 'busybox:1.36.1';
/** The agent's default image: the last Fluent Bit 3.2 release on Docker Hub (distroless). */
export const DEFAULT_LOG_AGENT_IMAGE = 'fluent/fluent-bit:3.2.10';
/**
 * Seconds the Fluent Bit agent takes to stop on SIGTERM: its `Grace` (5 s by default, which the
 * generated configuration keeps), during which it flushes what it has read.
 * @see https://docs.fluentbit.io/manual/administration/configuring-fluent-bit/classic-mode/configuration-file
 */
export const FLUENT_BIT_GRACE_SECONDS = 5;
/** The default log volume size limit. */
export const DEFAULT_LOG_VOLUME_SIZE_LIMIT = '512Mi';
/** The agent's default resources: Fluent Bit buffers up to 5MB per file before it pauses. */
export const DEFAULT_LOG_AGENT_RESOURCES: ResourceOptions = { cpu: { request: kplus.Cpu.millis(20) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) } };

/** Directories an emptyDir must not replace: the root, system directories and kernel filesystems. */
const RESERVED_EXACT = ['/', '/bin', '/sbin', '/lib', '/lib64', '/usr', '/usr/bin', '/usr/sbin', '/usr/lib', '/etc'];
const RESERVED_TREES = ['/proc', '/sys', '/dev'];
const under = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);
/** Longest streaming prefix: leaves room for the file stems in a 63-character container name. */
const MAX_PREFIX_LENGTH = 40;

/**
 * The logging sidecar pattern on any workload (cdk8s-plus 27 to 33, an L1 object, an `Include`d
 * manifest): the app writes log files into a shared
 * emptyDir, and sidecars that mount it read-only get them out of the pod, either streamed to
 * their own stdout (one BusyBox `tail -n+1 -F` per file, under a shell that stops on SIGTERM, so
 * `kubectl logs POD -c log-<stem>` shows each) or shipped by a Fluent Bit agent configured from
 * typed props through a ConfigMap.
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
  /** The resolved mode. */
  public readonly mode: LogSidecarMode;
  /** The log directory, normalized (no trailing "/"). */
  public readonly logDirectory: string;
  /** The absolute paths of the log files, in the order given. */
  public readonly logPaths: string[];
  /** The name of the app container, which mounts the log volume read-write. */
  public readonly appContainerName: string;
  /** The shared log volume (an emptyDir), as written into the pod. */
  public readonly volume: k8s.Volume;
  /**
   * The sidecars: one per log file in streaming mode, the Fluent Bit agent in agent mode. These
   * are the Kubernetes container specs written into the pod, field for field (tweak them before synthesis).
   */
  public readonly sidecars: ContainerSpec[];
  /** Agent mode: the ConfigMap holding the generated Fluent Bit configuration. */
  public readonly configMap?: kplus.ConfigMap;
  /**
   * The Kubernetes recommended labels of the objects this helper creates (`app.kubernetes.io/*`,
   * component `log-sidecar`); label objects you add for it (a ServiceMonitor, say) with them too.
   */
  public readonly labels: Readonly<Record<string, string>>;
  /** Agent mode: the generated configuration files (file name to content), as in the ConfigMap. */
  public readonly agentConfig?: Readonly<Record<string, string>>;
  /** With `rotation`: the rotator container (also the last of `sidecars`). */
  public readonly rotator?: ContainerSpec;
  /** With `rotation`: the resolved rotation its script is generated from. */
  public readonly rotation?: ResolvedLogRotation;

  constructor(scope: Construct, id: string, props: LogSidecarProps) {
    super(scope, id);
    assertPropTypes(this.node.path, props, LOG_SIDECAR_SHAPE);
    const problems = new Problems();
    const workload = checkHelperProps(problems, this, props);
    const labels = helperLabels(problems, PATTERN_ROLES.logSidecar, props);
    const mode = props.mode ?? 'streaming';
    const agent = mode === 'agent';
    const name = props.name ?? (agent ? 'fluent-bit' : 'log');
    const volumeName = props.volumeName ?? 'app-logs';
    const sizeLimit = props.volumeSizeLimit ?? DEFAULT_LOG_VOLUME_SIZE_LIMIT;
    const image = agent ? props.agentImage ?? DEFAULT_LOG_AGENT_IMAGE : props.streamerImage ?? DEFAULT_LOG_STREAMER_IMAGE;
    const parser: LogParser = props.parser ?? LogParser.none();
    const output: LogOutput = props.output ?? LogOutput.stdout();
    const tagPrefix = props.tagPrefix ?? 'app';

    if (!MODES.includes(mode)) problems.add('mode', mode, `one of ${MODES.map((m) => JSON.stringify(m)).join(', ')}`);
    let dir = '/';
    if (problems.check('logDirectory', props.logDirectory, RULES.absolutePath) && problems.check('logDirectory', props.logDirectory, RULES.notRoot) && problems.check('logDirectory', props.logDirectory, LOG_DIRECTORY_CHARS)) {
      dir = normalizeDirectory(props.logDirectory);
      if (RESERVED_EXACT.includes(dir) || RESERVED_TREES.some((t) => under(dir, t))) {
        problems.add('logDirectory', props.logDirectory, `a directory of its own for the logs, which the emptyDir replaces (not ${RESERVED_EXACT.map((d) => JSON.stringify(d)).join(', ')}, nor under ${RESERVED_TREES.map((d) => JSON.stringify(d)).join(', ')})`);
      } else if (agent && under(dir, '/fluent-bit')) {
        problems.add('logDirectory', props.logDirectory, 'a directory outside "/fluent-bit", where the agent image keeps its binary and configuration');
      }
    }
    const files = Array.isArray(props.logFiles) ? props.logFiles : [];
    if (problems.check('logFiles', props.logFiles, RULES.nonEmptyList)) {
      const seen = new Set<string>();
      files.forEach((f, i) => {
        if (problems.check(`logFiles[${i}]`, f, LOG_FILE_RULE) && seen.has(f)) problems.add(`logFiles[${i}]`, f, 'a file not listed twice');
        seen.add(f);
      });
    }
    if (problems.check('name', name, RULES.dnsLabel)) {
      if (!agent && name.length > MAX_PREFIX_LENGTH) problems.add('name', name, `a prefix of at most ${MAX_PREFIX_LENGTH} characters, leaving room for the file stems in the 63-character container names`);
      if (agent && name.length > 55) problems.add('name', name, 'a container name of at most 55 characters, leaving room for the "-config" volume name');
    }
    problems.check('volumeName', volumeName, RULES.dnsLabel);
    problems.check('volumeSizeLimit', sizeLimit, RULES.sizeLimit);
    const imageProp = agent ? 'agentImage' : 'streamerImage';
    if (problems.check(imageProp, image, RULES.image)) problems.check(imageProp, image, RULES.pinnedImage);
    const wrongMode = agent ? 'streaming' : 'agent';
    const onlyFor = (prop: keyof LogSidecarProps) => {
      if (props[prop] !== undefined) problems.add(prop, props[prop], `unset unless mode is ${JSON.stringify(wrongMode)}`);
    };
    if (agent) {
      onlyFor('streamerImage');
      checkParser(problems, 'parser', parser);
      checkOutput(problems, 'output', output);
      problems.check('tagPrefix', tagPrefix, FLUENT_BIT_RULES.tagPrefix);
    } else {
      for (const p of ['agentImage', 'parser', 'output', 'tagPrefix'] as const) onlyFor(p);
    }

    const view = workload && podView(workload);
    const app = resolveAppContainer(problems, workload, { container: props.appContainer, name: props.appContainerName }, APP_CONTAINER_PROPS, true, view);
    const sidecarNames = agent ? [name] : uniqueIds(files, name);
    const rotatorName = `${agent ? name.slice(0, 55) : name}-${LOG_ROTATOR_SUFFIX}`;
    let rotation: ResolvedLogRotation | undefined;
    const rotatorImage = props.rotatorImage ?? (agent ? DEFAULT_LOG_STREAMER_IMAGE : image);
    if (props.rotation !== undefined) {
      rotation = checkLogRotation(problems, props.rotation, {
        paths: files.map((f) => logFilePath(dir, f)),
        sizeLimit,
        sizeLimitBytes: sizeLimitBytes(sizeLimit),
      });
      if (sidecarNames.includes(rotatorName)) problems.add('name', name, `a prefix whose rotator container name ${JSON.stringify(rotatorName)} is not also a streamer's (rename the log file or the prefix)`);
      if (props.rotatorImage !== undefined && problems.check('rotatorImage', props.rotatorImage, RULES.image)) problems.check('rotatorImage', props.rotatorImage, RULES.pinnedImage);
    } else if (props.rotatorImage !== undefined) {
      problems.add('rotatorImage', props.rotatorImage, 'unset unless rotation is set');
    }
    if (rotation) sidecarNames.push(rotatorName);
    if (view) {
      const podContainers = new Set(containerNames(view));
      const clash = sidecarNames.filter((n) => podContainers.has(n));
      if (clash.length > 0) problems.add('name', name, `a name whose sidecar containers are not already in the workload (${clash.map((n) => JSON.stringify(n)).join(', ')} ${clash.length === 1 ? 'is' : 'are'})`);
      const volumes = volumeNames(view);
      if (volumes.has(volumeName)) problems.add('volumeName', volumeName, 'a volume name not used by another volume of the workload');
      if (agent && volumes.has(`${name}-config`)) problems.add('name', name, `a name whose "${name}-config" volume is not already in the workload`);
      const agentVolumes = agent ? [`${name}-config`, `${name}-${FLUENT_BIT_DB_DIR.split('/').pop()}`] : [];
      if (agentVolumes.includes(volumeName)) problems.add('volumeName', volumeName, `a name other than the agent's own volumes (${agentVolumes.map((v) => JSON.stringify(v)).join(', ')})`);
      const mounted = (app?.volumeMounts ?? []).find((m: any) => normalizeDirectory(m.mountPath) === dir);
      if (mounted && dir !== '/') problems.add('logDirectory', props.logDirectory, `a path where the app container mounts nothing yet (it mounts ${JSON.stringify(mounted.name)} there)`);
    }
    problems.throwIfAny(this.node.path);

    this.labels = labels;
    this.mode = mode;
    this.logDirectory = dir;
    this.logPaths = files.map((f) => logFilePath(dir, f));
    this.appContainerName = app.name;
    this.volume = { name: volumeName, emptyDir: { sizeLimit: k8s.Quantity.fromString(sizeLimit) } };
    const logMount = (readOnly: boolean): k8s.VolumeMount => (readOnly ? { mountPath: dir, name: volumeName, readOnly: true } : { mountPath: dir, name: volumeName });
    const common = {
      appContainerName: this.appContainerName,
      appContainer: { volumeMounts: [logMount(false)] },
    };

    this.rotation = rotation;
    // signal rotation: the rotator must see the app's processes to send them the reopen signal
    const rotationPod = rotation?.method === LogRotationMethod.SIGNAL ? { pod: { shareProcessNamespace: true } } : {};
    if (!agent) {
      const rotator = rotation && this.rotatorContainer(props, rotatorName, rotatorImage, rotation, logMount(false));
      const attached = attachHelper(this, props, {
        ...common,
        ...rotationPod,
        volumes: [this.volume],
        containers: [
          ...this.logPaths.map((path, i): HelperContainerOptions => ({
            name: sidecarNames[i],
            image,
            // with rotation, a follower that reads each new file from its first line (busybox tail -F skips to its end)
            command: rotation ? rotationStreamingCommand(path, STREAM_STOP_GRACE_SECONDS) : streamingCommand(path),
            defaultResources: DEFAULT_RESOURCES.helper,
            volumeMounts: [logMount(true)],
            hasSleep: true,
          })),
          ...(rotator ? [rotator] : []),
        ],
        // the streamers follow the app's files through its drain, then print for their grace
        lifecycle: { holdAppByDefault: false, outlivesApp: true, stopSeconds: STREAM_STOP_GRACE_SECONDS },
      });
      this.sidecars = attached.containers;
      this.rotator = rotation ? attached.containers[attached.containers.length - 1] : undefined;
      return;
    }

    const ids = uniqueIds(files, undefined);
    this.agentConfig = fluentBitConfig({
      inputs: this.logPaths.map((path, i) => ({ path, id: ids[i] })),
      tagPrefix,
      parser,
      output,
      dbDirectory: FLUENT_BIT_DB_DIR,
    });
    // in the workload's namespace (a pod can only mount ConfigMaps of its own namespace)
    this.configMap = new kplus.ConfigMap(this, 'Config', {
      metadata: helperObjectMetadata(workload!.apiObject, labels),
      data: { ...this.agentConfig },
    });
    const configVolume: k8s.Volume = { name: `${name}-config`, configMap: { name: this.configMap.name } };
    const rotator = rotation && this.rotatorContainer(props, rotatorName, rotatorImage, rotation, logMount(false));
    const attached = attachHelper(this, props, {
      ...common,
      ...rotationPod,
      volumes: [this.volume, configVolume],
      containers: [{
        name,
        image,
        command: [FLUENT_BIT_BINARY],
        args: ['-c', `${FLUENT_BIT_CONFIG_DIR}/${FLUENT_BIT_CONFIG_FILE}`],
        writablePaths: [FLUENT_BIT_DB_DIR],
        defaultResources: DEFAULT_LOG_AGENT_RESOURCES,
        volumeMounts: [logMount(true), { mountPath: FLUENT_BIT_CONFIG_DIR, name: configVolume.name, readOnly: true }],
        // the official image is distroless: no sleep binary (below 1.30 its preStop wait is left out)
        hasSleep: false,
      }, ...(rotator ? [rotator] : [])],
      // Fluent Bit reads its configuration only when it starts: the hash on the pod template rolls the pods.
      configMaps: [{ volume: configVolume.name, configMap: ApiObject.of(this.configMap), annotation: logAgentConfigHashAnnotation(name) }],
      lifecycle: { holdAppByDefault: false, outlivesApp: true, stopSeconds: FLUENT_BIT_GRACE_SECONDS },
    });
    this.sidecars = attached.containers;
    this.rotator = rotation ? attached.containers[attached.containers.length - 1] : undefined;
  }

  /** The rotator: BusyBox sh as the app's user, the log volume mounted read-write. */
  private rotatorContainer(props: LogSidecarProps, name: string, image: string, rotation: ResolvedLogRotation, mount: k8s.VolumeMount): HelperContainerOptions {
    const appUser = (props.rotation as LogRotation).appUser;
    return {
      name,
      image,
      command: logRotationCommand(rotation),
      securityContext: { runAsUser: appUser, runAsGroup: appUser },
      defaultResources: DEFAULT_RESOURCES.helper,
      volumeMounts: [mount],
      hasSleep: true,
    };
  }
}
