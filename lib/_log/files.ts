/**
 * Log file names of a LogSidecar: their rule, the ids derived from them (container names, tags,
 * offset databases) and the streaming command.
 */
import { Problems, Rule, RULES } from '../_pod/rules';

/** The rule for one entry of `logFiles`. */
export const LOG_FILE_RULE: Rule = {
  test: (v: unknown) => typeof v === 'string'
    && v.length <= 255
    && /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(v)
    && v.split('/').every((s) => s !== '.' && s !== '..'),
  expected: 'a file name relative to logDirectory: letters, digits, ".", "_" or "-", optionally in sub-directories joined by "/", without a leading "/" or "." and ".." segments',
};

/**
 * A DNS-label-like stem of a log file: the path without its last extension, lower-cased, with
 * every run of other characters turned into "-" (`nginx/access.log` → `nginx-access`).
 */
export function fileStem(file: string): string {
  const segments = file.split('/');
  const base = segments.pop()!;
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  const s = [...segments, stem].join('-').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return s || 'log';
}

/**
 * Unique ids for the files, in order: `<prefix>-<stem>` (or the stem alone without a prefix),
 * at most `maxLength` characters, with `-2`, `-3`, ... appended to a repeated one.
 */
export function uniqueIds(files: readonly string[], prefix: string | undefined, maxLength = 63): string[] {
  const taken = new Set<string>();
  return files.map((f) => {
    const head = prefix ? `${prefix}-` : '';
    const base = `${head}${fileStem(f).slice(0, maxLength - head.length)}`.replace(/-+$/, '');
    let id = base;
    for (let i = 2; taken.has(id); i++) {
      const suffix = `-${i}`;
      id = `${base.slice(0, maxLength - suffix.length).replace(/-+$/, '')}${suffix}`;
    }
    taken.add(id);
    return id;
  });
}

/** The characters a log directory may hold: it is written into a shell command and Fluent Bit's configuration. */
export const LOG_DIRECTORY_CHARS: Rule = {
  test: (v: unknown) => typeof v === 'string' && /^[A-Za-z0-9._/-]+$/.test(v),
  expected: 'a path of letters, digits, ".", "_", "-" and "/" only (it is written into the sidecars\' shell command and Fluent Bit\'s configuration)',
};

/** Joins the (normalized) log directory and a file name. */
export function logFilePath(logDirectory: string, file: string): string {
  return `${logDirectory}/${file}`;
}

/**
 * What a streaming sidecar runs: busybox `tail` printing the file from its first line (`-n+1`, so
 * lines written before the sidecar started are not lost) and following it by name (`-F`: it waits
 * for the file to appear and reopens it after rotation).
 * @see https://kubernetes.io/docs/concepts/cluster-administration/logging/#streaming-sidecar-container
 */
export function streamingTailCommand(path: string): string[] {
  return ['tail', '-n+1', '-F', path];
}

/** Seconds a streaming sidecar keeps printing after SIGTERM: one more poll of `tail` (it polls each second). */
export const STREAM_STOP_GRACE_SECONDS = 1;

/**
 * The streaming sidecar's command: {@link streamingTailCommand} under a shell that stops on
 * SIGTERM. As a container's PID 1, `tail` alone ignores SIGTERM (the kernel drops signals PID 1
 * has no handler for), so every pod would take its whole termination grace period to stop, and a
 * Job's native sidecar would be killed without printing its last lines. The shell traps SIGTERM,
 * lets `tail` print for {@link STREAM_STOP_GRACE_SECONDS} more second, then exits 0; if `tail`
 * itself fails, the shell exits with its status. `path` must hold no shell metacharacters
 * (LOG_FILE_RULE and LOG_DIRECTORY_CHARS admit only letters, digits, ".", "_", "-" and "/").
 */
export function streamingCommand(path: string): string[] {
  return ['sh', '-c', `trap "sleep ${STREAM_STOP_GRACE_SECONDS}; exit 0" TERM; ${streamingTailCommand(path).join(' ')} & wait`];
}

/** Removes "." segments, repeated and trailing slashes from an absolute path ("/var/log/app/" → "/var/log/app"). */
export function normalizeDirectory(dir: string): string {
  const segs = dir.split('/').filter((s) => s !== '' && s !== '.');
  return `/${segs.join('/')}`;
}

/** Directories an emptyDir must not replace: the root, system directories and kernel filesystems. */
const RESERVED_EXACT = ['/', '/bin', '/sbin', '/lib', '/lib64', '/usr', '/usr/bin', '/usr/sbin', '/usr/lib', '/etc'];
const RESERVED_TREES = ['/proc', '/sys', '/dev'];
const under = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);

/**
 * Checks `logDirectory` and `logFiles` (problems under their names); returns the normalized
 * directory ("/" when it is invalid, `ok` false) and the files (empty when not a list).
 */
export function checkLogFiles(problems: Problems, logDirectory: unknown, logFiles: unknown): { dir: string; ok: boolean; files: string[] } {
  let dir = '/';
  let ok = false;
  if (problems.check('logDirectory', logDirectory, RULES.absolutePath) && problems.check('logDirectory', logDirectory, RULES.notRoot) && problems.check('logDirectory', logDirectory, LOG_DIRECTORY_CHARS)) {
    dir = normalizeDirectory(logDirectory as string);
    if (RESERVED_EXACT.includes(dir) || RESERVED_TREES.some((t) => under(dir, t))) {
      problems.add('logDirectory', logDirectory, `a directory of its own for the logs, which the emptyDir replaces (not ${RESERVED_EXACT.map((d) => JSON.stringify(d)).join(', ')}, nor under ${RESERVED_TREES.map((d) => JSON.stringify(d)).join(', ')})`);
    } else {
      ok = true;
    }
  }
  const files = Array.isArray(logFiles) ? (logFiles as string[]) : [];
  if (problems.check('logFiles', logFiles, RULES.nonEmptyList)) {
    const seen = new Set<string>();
    files.forEach((f, i) => {
      if (problems.check(`logFiles[${i}]`, f, LOG_FILE_RULE) && seen.has(f)) problems.add(`logFiles[${i}]`, f, 'a file not listed twice');
      seen.add(f);
    });
  }
  return { dir, ok, files };
}
