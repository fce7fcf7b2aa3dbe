/**
 * `LogShipping.streaming()`: one BusyBox container per log file prints it to its own stdout, so
 * the node's logging agent collects it and `kubectl logs POD -c <name>-<stem>` shows it.
 * @see https://kubernetes.io/docs/concepts/cluster-administration/logging/#streaming-sidecar-container
 */
import { DEFAULT_RESOURCES } from '../_pod/security';
import { checkShape, PropShape, Problems, RULES } from '../_pod/rules';
import { STREAM_STOP_GRACE_SECONDS, streamingCommand, uniqueIds } from './files';
import { LOG_ROTATOR_SUFFIX } from './rotation';
import { isOptions, ShippingVariant } from './variant';

/** Options of `LogShipping.streaming()`. */
export interface StreamingShippingOptions {
  /**
   * The streaming containers' image (it must have `sh`, `sleep` and `tail` on its PATH, as BusyBox has), pinned.
   * @default DEFAULT_LOG_STREAMER_IMAGE ('busybox:1.36.1')
   */
  readonly image?: string;
}

/** The streaming containers' default image: the BusyBox release the Kubernetes docs' pattern runs on, pinned. */
export const DEFAULT_LOG_STREAMER_IMAGE = 'busybox:1.36.1';

/** The runtime types of {@link StreamingShippingOptions}, for untyped callers. */
export const STREAMING_OPTIONS_SHAPE: PropShape = { image: 'string' };

/** Seconds a rotation-following streamer keeps reading the renamed file after a new one appears. */
export const ROTATION_DRAIN_SECONDS = 2;

/**
 * The streaming container's command when the LogSidecar rotates: BusyBox `tail -F` follows a
 * replaced file from its END ("has been replaced; following end of new file"), so the lines the
 * app writes between its reopen and tail's next poll, and those of the old file tail had not
 * read yet, are lost (measured: half of them under load). This loop runs `tail -n+1 -f` on the
 * file, and when the name points to a new file (another inode), lets the old tail drain the
 * renamed file for {@link ROTATION_DRAIN_SECONDS} s (the app has reopened by then), stops it and
 * starts a new `tail -n+1 -f` from the new file's first line. Truncation (copy-truncate) keeps the
 * inode: `tail -f` notices it and reads again from the start. SIGTERM stops it after
 * `graceSeconds` more of printing, exit 0.
 */
export function rotationStreamingCommand(path: string, graceSeconds: number): string[] {
  return ['sh', '-c', [
    `f=${path}`,
    't=',
    `trap 'sleep ${graceSeconds}; [ -n "$t" ] && kill "$t"; exit 0' TERM`,
    'until [ -e "$f" ]; do sleep 1 & wait $!; done',
    'ino=$(stat -c %i "$f")',
    'tail -n+1 -f "$f" & t=$!',
    'while :; do',
    '  sleep 1 & wait $!',
    '  n=$(stat -c %i "$f" 2>/dev/null) || continue',
    '  if [ "$n" != "$ino" ]; then',
    `    sleep ${ROTATION_DRAIN_SECONDS} & wait $!`,
    '    kill "$t"; wait "$t"',
    '    ino=$n',
    '    tail -n+1 -f "$f" & t=$!',
    '  fi',
    'done',
  ].join('\n')];
}

/** Longest streaming prefix: leaves room for the file stems in a 63-character container name. */
const MAX_PREFIX_LENGTH = 40;

interface Streaming {
  readonly image: string;
}

export const STREAMING: ShippingVariant<Streaming> = {
  defaultName: 'log',
  resolve(problems: Problems, given: unknown): Streaming {
    if (!isOptions(given)) {
      problems.add('shipping', given, 'the options of LogShipping.streaming({ image })');
      return { image: DEFAULT_LOG_STREAMER_IMAGE };
    }
    const o = given as StreamingShippingOptions;
    const image = o.image ?? DEFAULT_LOG_STREAMER_IMAGE;
    if (checkShape(problems, 'shipping', given, STREAMING_OPTIONS_SHAPE) && problems.check('shipping.image', image, RULES.image)) {
      problems.check('shipping.image', image, RULES.pinnedImage);
    }
    return { image };
  },
  checkName(problems, name) {
    if (name.length > MAX_PREFIX_LENGTH) problems.add('name', name, `a prefix of at most ${MAX_PREFIX_LENGTH} characters, leaving room for the file stems in the 63-character container names`);
  },
  checkDirectory() {},
  sidecarNames: (name, files) => uniqueIds(files, name),
  rotatorName: (name) => `${name}-${LOG_ROTATOR_SUFFIX}`,
  ownVolumes: () => [],
  defaultRotatorImage: (o) => o.image,
  render(_scope, o, input) {
    const names = uniqueIds(input.files, input.name);
    return {
      volumes: [],
      containers: input.paths.map((path, i) => ({
        name: names[i],
        image: o.image,
        // with rotation, a follower that reads each new file from its first line (busybox tail -F skips to its end)
        command: input.rotation ? rotationStreamingCommand(path, STREAM_STOP_GRACE_SECONDS) : streamingCommand(path),
        defaultResources: DEFAULT_RESOURCES.helper,
        volumeMounts: [input.logMount],
        hasSleep: true,
      })),
      // the streamers follow the app's files through its drain, then print for their grace
      lifecycle: { holdAppByDefault: false, outlivesApp: true, stopSeconds: STREAM_STOP_GRACE_SECONDS },
    };
  },
};
