/**
 * Log rotation for a LogSidecar: a small BusyBox shell loop in its own container that keeps each
 * log file under a size and keeps a few rotated copies, so that the shared emptyDir never
 * outgrows its size limit (the kubelet evicts the pod when it does). The script is a pure
 * function of resolved options; the integration tests run it with the real BusyBox, nginx and
 * `tail -F`.
 */
import { Duration, Size } from 'cdk8s';
import * as k8s from '../_k8s';
import { HelperContainerOptions } from '../_pod/helper';
import { DEFAULT_RESOURCES } from '../_pod/security';
import { isDuration, isSize, Problems, RULES } from '../_pod/rules';

/** How the rotator makes the app write to a fresh file. */
export enum LogRotationMethod {
  /**
   * Copy the file to `<file>.1`, then truncate it in place: the app keeps its open file and, as
   * it writes with O_APPEND, continues at the start. Works for any app; lines written between the
   * copy and the truncation (microseconds) are lost. Needs no shared process namespace.
   */
  COPY_TRUNCATE = 'copytruncate',
  /**
   * Rename the file to `<file>.1`, then send the app's process a signal that makes it reopen its
   * log files (nginx: USR1). Loses no line. A signal reaches another container's process only in
   * a shared process namespace: the LogSidecar sets `shareProcessNamespace: true` on the pod
   * (a pod setting of its part), so every container of the pod sees the others' processes
   * (and, for the same user, their environment in /proc).
   */
  SIGNAL = 'signal',
}

/** The signals a rotator may send: the ones daemons use to reopen their logs. */
export enum RotationSignal {
  /** SIGUSR1: nginx, and most daemons that reopen logs. */
  USR1 = 'USR1',
  /** SIGUSR2. */
  USR2 = 'USR2',
  /** SIGHUP. */
  HUP = 'HUP',
}

/** Options of every {@link LogRotation}. */
export interface LogRotationOptions {
  /**
   * Rotate a file once it is larger than this (checked every `checkInterval`, so a file can
   * exceed it by what the app writes in one interval).
   */
  readonly maxSize: Size;
  /**
   * Rotated files kept per log file (`<file>.1` is the newest, `<file>.<keep>` the oldest).
   * @default 3
   */
  readonly keep?: number;
  /**
   * How often the rotator checks the files' sizes.
   * @default Duration.seconds(10)
   */
  readonly checkInterval?: Duration;
  /**
   * The user id the app container runs as (the owner of its log files). The rotator runs as this
   * user, non-root: truncating the app's files (mode 0644) or signalling its process needs the
   * same user, and no capability is added.
   */
  readonly appUser: number;
  /**
   * The rotator's image (it must have BusyBox's `sh`, `stat`, `mv`, `cp`, `rm`, `kill` and `sleep`), pinned.
   * @default - the streamers' image with `LogShipping.streaming()`, else DEFAULT_LOG_STREAMER_IMAGE ('busybox:1.36.1')
   */
  readonly image?: string;
}

/** Options of {@link LogRotation.signal}. */
export interface SignalLogRotationOptions extends LogRotationOptions {
  /**
   * The app's process name (as in `/proc/<pid>/comm`, at most 15 characters), e.g. `nginx`. The
   * signal goes to every process of that name whose parent has another name: nginx's master, not
   * its workers.
   */
  readonly processName: string;
  /**
   * The signal that makes the app reopen its log files.
   * @default RotationSignal.USR1 (nginx, and most daemons that reopen logs)
   * @see https://nginx.org/en/docs/control.html#logs
   */
  readonly signal?: RotationSignal;
}

/**
 * How a {@link LogSidecar} rotates the app's log files: by size, keeping N files, with
 * copy-truncate (any app) or rename and a signal (apps that reopen their logs, e.g. nginx).
 */
export class LogRotation {
  /**
   * Copy each file to `<file>.1` and truncate it: for apps that cannot be told to reopen their
   * logs. See {@link LogRotationMethod.COPY_TRUNCATE}.
   */
  public static copyTruncate(options: LogRotationOptions): LogRotation {
    return new LogRotation(LogRotationMethod.COPY_TRUNCATE, options);
  }

  /**
   * Rename each file to `<file>.1` and signal the app to reopen it: for apps that handle a
   * reopen signal (nginx's USR1). The pod gets `shareProcessNamespace: true`. See
   * {@link LogRotationMethod.SIGNAL}.
   */
  public static signal(options: SignalLogRotationOptions): LogRotation {
    return new LogRotation(LogRotationMethod.SIGNAL, options);
  }

  /** The rotation method. */
  public readonly method: LogRotationMethod;
  /** Rotate a file once it is larger than this. */
  public readonly maxSize: Size;
  /** Rotated files kept per log file. */
  public readonly keep: number;
  /** How often the sizes are checked. */
  public readonly checkInterval: Duration;
  /** The user id the rotator runs as (the app's). */
  public readonly appUser: number;
  /** {@link LogRotationMethod.SIGNAL}: the app's process name. */
  public readonly processName?: string;
  /** {@link LogRotationMethod.SIGNAL}: the signal sent. */
  public readonly signalName?: RotationSignal;
  /**
   * The rotator's image, as given.
   * @default - the streamers' image with `LogShipping.streaming()`, else DEFAULT_LOG_STREAMER_IMAGE
   */
  public readonly image?: string;

  private constructor(method: LogRotationMethod, options: LogRotationOptions & Partial<SignalLogRotationOptions>) {
    const o = options ?? ({} as LogRotationOptions);
    this.method = method;
    this.maxSize = o.maxSize;
    this.keep = o.keep ?? DEFAULT_LOG_ROTATION_KEEP;
    this.checkInterval = o.checkInterval ?? Duration.seconds(DEFAULT_LOG_ROTATION_CHECK_SECONDS);
    this.appUser = o.appUser;
    this.image = o.image;
    if (method === LogRotationMethod.SIGNAL) {
      this.processName = o.processName;
      this.signalName = o.signal ?? RotationSignal.USR1;
    }
  }
}

/** Rotated files kept per log file, by default. */
export const DEFAULT_LOG_ROTATION_KEEP = 3;
/** Seconds between two size checks, by default. */
export const DEFAULT_LOG_ROTATION_CHECK_SECONDS = 10;
/** Name of the rotator container (`<prefix>-rotate`). */
export const LOG_ROTATOR_SUFFIX = 'rotate';

/** Signals a rotator may send (the values of {@link RotationSignal}). */
export const ROTATION_SIGNALS: readonly RotationSignal[] = Object.values(RotationSignal);

/** The resolved rotation the script is generated from. */
export interface ResolvedLogRotation {
  /** Copy-truncate or rename and signal. */
  readonly method: LogRotationMethod;
  /** Absolute paths of the files. */
  readonly paths: string[];
  /** A file larger than this many bytes is rotated. */
  readonly maxBytes: number;
  /** Rotated copies kept per file. */
  readonly keep: number;
  /** Seconds between two size checks. */
  readonly checkSeconds: number;
  /**
   * SIGNAL: the app's process name.
   * @default - none (COPY_TRUNCATE signals nothing)
   */
  readonly processName?: string;
  /**
   * SIGNAL: the signal sent.
   * @default - none (COPY_TRUNCATE signals nothing)
   */
  readonly signal?: RotationSignal;
}

const PROCESS_NAME = /^[A-Za-z0-9._-]{1,15}$/;

const bytesOf = (s: Size) => s.toKibibytes() * 1024;

/**
 * Checks a rotation prop (from typed or untyped callers) against the files and the log volume's
 * size limit, recording problems under `rotation.*`; returns the resolved rotation when valid.
 * The budget: every file and its `keep` rotated copies at `maxSize` each must fit the volume.
 */
export function checkLogRotation(
  problems: Problems,
  rotation: unknown,
  o: { paths: readonly string[]; sizeLimitBytes?: number; sizeLimit: string },
): ResolvedLogRotation | undefined {
  const before = problems.messages.length;
  if (!(rotation instanceof LogRotation)) {
    problems.add('rotation', rotation === null ? null : typeof rotation, 'a LogRotation (LogRotation.copyTruncate({...}) or LogRotation.signal({...}))');
    return undefined;
  }
  const r = rotation;
  let maxBytes = 0;
  if (!isSize(r.maxSize)) problems.add('rotation.maxSize', r.maxSize, 'a cdk8s Size, e.g. Size.mebibytes(50)');
  else {
    maxBytes = bytesOf(r.maxSize);
    if (!(Number.isInteger(maxBytes) && maxBytes >= 1024 * 1024)) problems.add('rotation.maxSize', `${maxBytes} bytes`, 'at least 1 MiB, a whole number of KiB');
  }
  if (!(Number.isInteger(r.keep) && r.keep >= 1 && r.keep <= 100)) problems.add('rotation.keep', r.keep, 'a whole number from 1 to 100');
  let checkSeconds = 0;
  if (!isDuration(r.checkInterval)) problems.add('rotation.checkInterval', r.checkInterval, 'a cdk8s Duration, e.g. Duration.seconds(10)');
  else {
    checkSeconds = r.checkInterval.toSeconds({ integral: false });
    if (!(Number.isInteger(checkSeconds) && checkSeconds >= 1 && checkSeconds <= 3600)) problems.add('rotation.checkInterval', `${checkSeconds}s`, 'a whole number of seconds from 1 to 3600');
  }
  if (problems.check('rotation.appUser', r.appUser, RULES.userId) && r.appUser === 0) {
    problems.add('rotation.appUser', 0, 'a non-zero user id (the rotator runs non-root, as the app\'s user)');
  }
  if (r.method === LogRotationMethod.SIGNAL) {
    if (!(typeof r.processName === 'string' && PROCESS_NAME.test(r.processName))) {
      problems.add('rotation.processName', r.processName, 'the app\'s process name as in /proc/<pid>/comm: 1 to 15 letters, digits, ".", "_" or "-" (e.g. "nginx")');
    }
    if (!(ROTATION_SIGNALS as readonly string[]).includes(r.signalName as string)) {
      problems.add('rotation.signal', r.signalName, `one of ${ROTATION_SIGNALS.map((s) => JSON.stringify(s)).join(', ')}`);
    }
  }
  if (r.image !== undefined && problems.check('rotation.image', r.image, RULES.image)) problems.check('rotation.image', r.image, RULES.pinnedImage);
  if (problems.messages.length === before && o.sizeLimitBytes !== undefined) {
    const budget = o.paths.length * (r.keep + 1) * maxBytes;
    if (budget > o.sizeLimitBytes) {
      problems.add('rotation', `${o.paths.length} file(s) × (keep ${r.keep} + 1) × maxSize ${maxBytes / 1048576} MiB = ${budget / 1048576} MiB`,
        `a rotation budget that fits volumeSizeLimit (${o.sizeLimit} = ${o.sizeLimitBytes / 1048576} MiB): lower maxSize or keep, or raise volumeSizeLimit, leaving room for what the app writes in one checkInterval`);
    }
  }
  if (problems.messages.length !== before) return undefined;
  return {
    method: r.method,
    paths: [...o.paths],
    maxBytes,
    keep: r.keep,
    checkSeconds,
    processName: r.processName,
    signal: r.signalName,
  };
}

/**
 * The rotator's script, for BusyBox `sh` (the busybox image; Debian's busybox has the same
 * applets: `stat`, `mv`, `cp`, `rm`, `kill`, `sleep`). Every `checkSeconds`, each file larger than
 * `maxBytes` is rotated: `<file>.<keep>` removed, `<file>.<n>` renamed `<file>.<n+1>`, then the
 * file itself copied and truncated (COPY_TRUNCATE) or renamed `<file>.1` (SIGNAL, after which the
 * app's process — named `processName`, with a parent of another name — gets the signal). SIGTERM
 * ends it at once (the sleep runs in the background so that the trap runs). Paths hold no shell
 * metacharacters (LOG_FILE_RULE, LOG_DIRECTORY_CHARS).
 */
export function logRotationScript(r: ResolvedLogRotation): string {
  const signal = r.method === LogRotationMethod.SIGNAL;
  const lines = [
    'trap "exit 0" TERM',
    'rotate() {',
    `  n=${r.keep}`,
    '  rm -f "$1.$n"',
    '  while [ "$n" -gt 1 ]; do p=$((n - 1)); if [ -e "$1.$p" ]; then mv -f "$1.$p" "$1.$n"; fi; n=$p; done',
    signal ? '  mv -f "$1" "$1.1"' : '  cp "$1" "$1.1" && : > "$1"',
    '}',
  ];
  if (signal) {
    lines.push(
      'reopen() {',
      '  sent=0',
      '  for d in /proc/[0-9]*; do',
      '    read -r c < "$d/comm" 2>/dev/null || continue',
      `    [ "$c" = ${r.processName} ] || continue`,
      '    pp=0; while read -r k v; do if [ "$k" = PPid: ]; then pp=$v; fi; done < "$d/status"',
      '    pc=; read -r pc < "/proc/$pp/comm" 2>/dev/null',
      `    [ "$pc" = ${r.processName} ] && continue`,
      `    kill -${r.signal} "\${d#/proc/}" && sent=$((sent + 1))`,
      '  done',
      `  [ "$sent" -gt 0 ] || echo "rotate: no process named ${r.processName} to signal (is shareProcessNamespace on?)" >&2`,
      '}',
    );
  }
  lines.push(
    'while true; do',
    '  rotated=0',
    `  for f in ${r.paths.join(' ')}; do`,
    `    if [ -f "$f" ] && [ "$(stat -c %s "$f")" -gt ${r.maxBytes} ]; then rotate "$f"; rotated=1; echo "rotate: rotated $f"; fi`,
    '  done',
    ...(signal ? ['  if [ "$rotated" = 1 ]; then reopen; fi'] : []),
    `  sleep ${r.checkSeconds} & wait $!`,
    'done',
  );
  return lines.join('\n');
}

/** The rotator container's command: {@link logRotationScript} under `sh -c`. */
export function logRotationCommand(r: ResolvedLogRotation): string[] {
  return ['sh', '-c', logRotationScript(r)];
}

/** The rotator container: BusyBox `sh` as the app's user (restricted, no capability), the log volume mounted read-write. */
export function rotatorContainer(name: string, image: string, rotation: ResolvedLogRotation, appUser: number, mount: k8s.VolumeMount): HelperContainerOptions {
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
