import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  KubernetesVersion, LogRotation, LogRotationMethod, logRotationScript, LogShipping, LogSidecar, LogSidecarProps,
  PodSecurityLevel, RotationSignal, rotationStreamingCommand, setKubernetesVersion,
} from '../lib';
import { appWorkload, chartAndApp, container, errorOf, podSpec, pssViolations, render, schemaViolations } from './util/workloads';

const MiB = 1024 * 1024;

function props(workload: kplus.AbstractPod, overrides: Partial<LogSidecarProps> = {}): LogSidecarProps {
  return { workload, logDirectory: '/var/log/app', logFiles: ['access.log', 'error.log'], ...overrides };
}

const nginxSignal = (extra: Record<string, unknown> = {}) => LogRotation.signal({ maxSize: Size.mebibytes(50), appUser: 101, processName: 'nginx', ...extra });

function build(overrides: Partial<LogSidecarProps>) {
  const { chart } = chartAndApp();
  const { workload } = appWorkload(chart);
  const logs = new LogSidecar(chart, 'logs', props(workload, overrides));
  return { chart, workload, logs };
}

function propsError(overrides: Partial<LogSidecarProps>): string {
  const { chart } = chartAndApp();
  const { workload } = appWorkload(chart);
  return errorOf(() => new LogSidecar(chart, 'logs', props(workload, overrides)));
}

const header = '[test/logs] invalid props:\n  ';

describe('LogSidecar rotation', () => {
  test('GIVEN signal rotation WHEN synthesized THEN a restricted rotator runs the script as the app\'s user, the log volume read-write, and the pod shares its process namespace', () => {
    const { chart, logs } = build({ rotation: nginxSignal() });
    const spec = podSpec(chart, 'Deployment');
    expect(spec.shareProcessNamespace).toBe(true);
    const rotator = container(spec, 'log-rotate');
    expect(logs.rotator?.name).toBe('log-rotate');
    expect(logs.sidecars.map((c) => c.name)).toEqual(['log-access', 'log-error', 'log-rotate']);
    expect(rotator.image).toBe('busybox:1.36.1');
    expect(rotator.command).toEqual(['sh', '-c', logRotationScript(logs.rotation!)]);
    expect(rotator.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: 101,
      runAsNonRoot: true,
      runAsUser: 101,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(rotator.volumeMounts).toEqual([{ mountPath: '/var/log/app', name: 'app-logs' }]);
    expect(logs.rotation).toEqual({
      method: LogRotationMethod.SIGNAL,
      paths: ['/var/log/app/access.log', '/var/log/app/error.log'],
      maxBytes: 50 * MiB,
      keep: 3,
      checkSeconds: 10,
      processName: 'nginx',
      signal: 'USR1',
    });
    expect(pssViolations(render(chart), PodSecurityLevel.RESTRICTED)).toEqual([]);
    expect(schemaViolations(render(chart), KubernetesVersion.V1_27)).toEqual([]);
  });

  test('GIVEN rotation THEN the streamers follow each new file from its first line, not tail -F', () => {
    const { chart } = build({ rotation: nginxSignal() });
    const spec = podSpec(chart, 'Deployment');
    expect(container(spec, 'log-access').command).toEqual(rotationStreamingCommand('/var/log/app/access.log', 1));
    expect(container(spec, 'log-access').command[2]).toContain('tail -n+1 -f "$f" & t=$!');
    expect(container(spec, 'log-access').command[2]).not.toContain('-F');
  });

  test('the signal script rotates each file over keep copies, renames, then signals the master process by name', () => {
    const { logs } = build({ rotation: nginxSignal({ keep: 2, checkInterval: Duration.seconds(5) }) });
    expect(logRotationScript(logs.rotation!)).toBe(`trap "exit 0" TERM
rotate() {
  n=2
  rm -f "$1.$n"
  while [ "$n" -gt 1 ]; do p=$((n - 1)); if [ -e "$1.$p" ]; then mv -f "$1.$p" "$1.$n"; fi; n=$p; done
  mv -f "$1" "$1.1"
}
reopen() {
  sent=0
  for d in /proc/[0-9]*; do
    read -r c < "$d/comm" 2>/dev/null || continue
    [ "$c" = nginx ] || continue
    pp=0; while read -r k v; do if [ "$k" = PPid: ]; then pp=$v; fi; done < "$d/status"
    pc=; read -r pc < "/proc/$pp/comm" 2>/dev/null
    [ "$pc" = nginx ] && continue
    kill -USR1 "\${d#/proc/}" && sent=$((sent + 1))
  done
  [ "$sent" -gt 0 ] || echo "rotate: no process named nginx to signal (is shareProcessNamespace on?)" >&2
}
while true; do
  rotated=0
  for f in /var/log/app/access.log /var/log/app/error.log; do
    if [ -f "$f" ] && [ "$(stat -c %s "$f")" -gt 52428800 ]; then rotate "$f"; rotated=1; echo "rotate: rotated $f"; fi
  done
  if [ "$rotated" = 1 ]; then reopen; fi
  sleep 5 & wait $!
done`);
  });

  test('GIVEN copy-truncate rotation THEN the script copies and truncates, signals nothing, and the pod keeps its own process namespace', () => {
    const { chart, logs } = build({ rotation: LogRotation.copyTruncate({ maxSize: Size.mebibytes(20), keep: 5, appUser: 1000 }) });
    const script = logRotationScript(logs.rotation!);
    expect(script).toContain('\n  cp "$1" "$1.1" && : > "$1"\n');
    expect(script).toContain('\n  n=5\n');
    expect(script).toContain('-gt 20971520 ]');
    expect(script).not.toContain('kill');
    expect(script).not.toContain('mv -f "$1" "$1.1"');
    const spec = podSpec(chart, 'Deployment');
    expect(spec.shareProcessNamespace).toBeUndefined();
    expect(container(spec, 'log-rotate').securityContext.runAsUser).toBe(1000);
  });

  test('GIVEN Fluent Bit shipping THEN the rotator sits next to the agent, with the default busybox image', () => {
    const { chart, logs } = build({ shipping: LogShipping.fluentBit(), rotation: LogRotation.copyTruncate({ maxSize: Size.mebibytes(20), appUser: 1000 }) });
    expect(logs.sidecars.map((c) => c.name)).toEqual(['fluent-bit', 'fluent-bit-rotate']);
    expect(container(podSpec(chart, 'Deployment'), 'fluent-bit-rotate').image).toBe('busybox:1.36.1');
  });

  test('GIVEN a native sidecar LogSidecar on 1.29 THEN the rotator is a native sidecar too', () => {
    const { chart } = chartAndApp();
    setKubernetesVersion(chart, KubernetesVersion.V1_29);
    const { workload } = appWorkload(chart);
    new LogSidecar(chart, 'logs', props(workload, { nativeSidecar: true, rotation: nginxSignal() }));
    const spec = podSpec(chart, 'Deployment');
    expect(spec.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['log-access', 'Always'], ['log-error', 'Always'], ['log-rotate', 'Always']]);
  });

  test('GIVEN a rotation image THEN the rotator runs it', () => {
    const { chart } = build({ rotation: nginxSignal({ image: 'registry.example.com/busybox:1.36.1' }) });
    expect(container(podSpec(chart, 'Deployment'), 'log-rotate').image).toBe('registry.example.com/busybox:1.36.1');
  });

  test('GIVEN a streaming image and no rotation image THEN the rotator runs the streamers\' image', () => {
    const { chart } = build({ shipping: LogShipping.streaming({ image: 'busybox:1.36.1-musl' }), rotation: nginxSignal() });
    expect(container(podSpec(chart, 'Deployment'), 'log-rotate').image).toBe('busybox:1.36.1-musl');
  });

  test('GIVEN a signal from the RotationSignal enum THEN the script sends it', () => {
    const { logs } = build({ rotation: nginxSignal({ signal: RotationSignal.HUP }) });
    expect(logs.rotation?.signal).toBe('HUP');
    expect(logRotationScript(logs.rotation!)).toContain('kill -HUP "${d#/proc/}"');
  });

  test('defaults: keep 3, every 10 s, USR1', () => {
    const r = LogRotation.signal({ maxSize: Size.mebibytes(1), appUser: 101, processName: 'nginx' });
    expect([r.method, r.keep, r.checkInterval.toSeconds(), r.signalName]).toEqual([LogRotationMethod.SIGNAL, 3, 10, 'USR1']);
    const c = LogRotation.copyTruncate({ maxSize: Size.mebibytes(1), appUser: 101 });
    expect([c.method, c.processName, c.signalName]).toEqual([LogRotationMethod.COPY_TRUNCATE, undefined, undefined]);
  });

  test('GIVEN a maxSize and checkInterval from another copy of cdk8s WHEN the rotation is built THEN they are accepted and written like ours', () => {
    // a second copy of cdk8s (another module instance): its Size and Duration are no `instanceof` ours
    let other: typeof import('cdk8s') = require('cdk8s');
    jest.isolateModules(() => { other = require('cdk8s'); });
    expect(other.Size).not.toBe(Size);
    const theirs = build({ rotation: nginxSignal({ maxSize: other.Size.mebibytes(20), checkInterval: other.Duration.seconds(5) }) });
    const ours = build({ rotation: nginxSignal({ maxSize: Size.mebibytes(20), checkInterval: Duration.seconds(5) }) });
    expect(render(theirs.chart)).toEqual(render(ours.chart));
  });

  test('fails when the rotation budget does not fit the log volume', () => {
    expect(propsError({ rotation: nginxSignal({ maxSize: Size.mebibytes(100) }) })).toBe(`${header}rotation: received "2 file(s) × (keep 3 + 1) × maxSize 100 MiB = 800 MiB"; expected a rotation budget that fits volumeSizeLimit (512Mi = 512 MiB): lower maxSize or keep, or raise volumeSizeLimit, leaving room for what the app writes in one checkInterval`);
    // exactly the limit fits
    expect(() => build({ rotation: nginxSignal({ maxSize: Size.mebibytes(64) }) })).not.toThrow();
    expect(() => build({ rotation: nginxSignal({ maxSize: Size.mebibytes(64) }), volumeSizeLimit: Size.mebibytes(511) })).toThrow('= 512 MiB"; expected a rotation budget that fits volumeSizeLimit (511Mi = 511 MiB)');
  });

  test('fails when the rotation options are out of range', () => {
    expect(propsError({ rotation: nginxSignal({ maxSize: Size.kibibytes(512), keep: 0, checkInterval: Duration.millis(1500), appUser: 0, processName: 'nginx: master', signal: 'KILL' }) })).toBe(`${header}`
      + 'rotation.maxSize: received "524288 bytes"; expected at least 1 MiB, a whole number of KiB\n'
      + '  rotation.keep: received 0; expected a whole number from 1 to 100\n'
      + '  rotation.checkInterval: received "1.5s"; expected a whole number of seconds from 1 to 3600\n'
      + '  rotation.appUser: received 0; expected a non-zero user id (the rotator runs non-root, as the app\'s user)\n'
      + '  rotation.processName: received "nginx: master"; expected the app\'s process name as in /proc/<pid>/comm: 1 to 15 letters, digits, ".", "_" or "-" (e.g. "nginx")\n'
      + '  rotation.signal: received "KILL"; expected one of "USR1", "USR2", "HUP"');
  });

  test('fails when an untyped caller gives a plain object, or no appUser', () => {
    expect(propsError({ rotation: { maxSize: '50Mi' } as any })).toBe(`${header}rotation: received "object"; expected a LogRotation (LogRotation.copyTruncate({...}) or LogRotation.signal({...}))`);
    expect(propsError({ rotation: LogRotation.copyTruncate({ maxSize: Size.mebibytes(10) } as any) })).toBe(`${header}rotation.appUser: received undefined; expected a numeric user or group id from 0 to 2147483647`);
    expect(propsError({ rotation: LogRotation.copyTruncate({ maxSize: 10 as any, appUser: 1 }) })).toBe(`${header}rotation.maxSize: received 10; expected a cdk8s Size, e.g. Size.mebibytes(50)`);
  });

  test('fails when the rotation image is not pinned, or not a string from an untyped caller', () => {
    expect(propsError({ rotation: nginxSignal({ image: 'busybox:latest' }) })).toBe(`${header}rotation.image: received "busybox:latest"; expected a pinned image: a tag other than "latest" (e.g. "nginx:1.27.5") or a digest ("@sha256:...")`);
    expect(propsError({ rotation: nginxSignal({ image: 5 }) })).toMatch(/^\[test\/logs\] invalid props:\n {2}rotation\.image: received 5; expected /);
  });

  test('fails when a streamer would take the rotator\'s name', () => {
    expect(propsError({ logFiles: ['rotate.log'], rotation: nginxSignal() })).toBe(`${header}name: received "log"; expected a prefix whose rotator container name "log-rotate" is not also a streamer's (rename the log file or the prefix)`);
  });

  test('a changed rotation changes the rendered pod template', () => {
    const a = podSpec(build({ rotation: nginxSignal() }).chart, 'Deployment');
    const b = podSpec(build({ rotation: nginxSignal({ keep: 4 }) }).chart, 'Deployment');
    expect(container(a, 'log-rotate').command[2]).toContain('\n  n=3\n');
    expect(container(b, 'log-rotate').command[2]).toContain('\n  n=4\n');
  });
});
