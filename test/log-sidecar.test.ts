import { ApiObject, Cron, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  DEFAULT_LOG_AGENT_IMAGE, DEFAULT_LOG_STREAMER_IMAGE, fileStem, fluentBitConfig, FluentBitShippingOptions, Hardening,
  KubernetesVersion, LogOutput, LogParser, LogShipping, LogShippingKind, LogSidecar, LogSidecarProps, ParserFieldType,
  PodSecurityLevel, StdoutFormat, streamingCommand, streamingTailCommand,
} from '../lib';
import {
  addApp, appWorkload, chartAndApp, container, declaredLevel, errorOf, newWorkload, only, podSpec, pssViolations, render, restrictedContext, schemaViolations, SERVING_WORKLOAD_KINDS,
} from './util/workloads';
import { LogSidecarChart, LogSidecarJobChart, NGINX_ACCESS_LOG_PARSER } from '../lib/charts/log-sidecar-chart';
import { podSpecOf } from '../lib/_pod/inject';
import { synthToMemory } from '../lib/synth';

/** Props of a LogSidecar on the workload, with the app's two log files. */
function streaming(workload: kplus.AbstractPod, overrides: Partial<LogSidecarProps> = {}): LogSidecarProps {
  return { workload, logDirectory: '/var/log/app', logFiles: ['access.log', 'error.log'], ...overrides };
}

/** Props of a LogSidecar shipping the files with Fluent Bit (`options` the variant's own). */
function agent(workload: kplus.AbstractPod, overrides: Partial<LogSidecarProps> = {}, options: FluentBitShippingOptions = {}): LogSidecarProps {
  return streaming(workload, { shipping: LogShipping.fluentBit(options), ...overrides });
}

/** The message of the error a function throws. */

/** The props error of a LogSidecar built on a fresh Deployment with an app container. */
function propsError(overrides: Partial<LogSidecarProps>): string {
  const { chart } = chartAndApp();
  const { workload } = appWorkload(chart);
  return errorOf(() => new LogSidecar(chart, 'logs', streaming(workload, overrides)));
}

const header = '[test/logs] invalid props:\n  ';

/** The streaming command for a path: `tail -n+1 -F` under a shell that stops on SIGTERM. */
const tailing = (path: string) => ['sh', '-c', `trap "sleep 1; exit 0" TERM; tail -n+1 -F ${path} & wait`];

describe('LogSidecar, streaming mode', () => {
  test.each(SERVING_WORKLOAD_KINDS)('attaches one tail container per log file to a %s, the log volume mounted read-only', (kind) => {
    // GIVEN a workload of the kind with its app container
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart, kind);
    // WHEN
    const logs = new LogSidecar(chart, 'logs', streaming(workload));
    // THEN each file has its own container running `tail -n+1 -F <file>`
    const manifests = render(chart);
    const spec = podSpec(chart, kind);
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app', 'log-access', 'log-error']);
    for (const [name, file] of [['log-access', 'access.log'], ['log-error', 'error.log']]) {
      const c = container(spec, name);
      expect(c.image).toBe('busybox:1.36.1');
      expect(c.command).toEqual(tailing(`/var/log/app/${file}`));
      expect(c.args).toBeUndefined();
      expect(c.volumeMounts).toEqual([{ mountPath: '/var/log/app', name: 'app-logs', readOnly: true }]);
      expect(c.securityContext).toEqual(restrictedContext());
      expect(c.resources).toEqual({ limits: { memory: '64Mi' }, requests: { cpu: '10m', memory: '32Mi' } });
      expect(c.restartPolicy).toBeUndefined();
    }
    // AND the app writes into the same emptyDir
    expect(container(spec, 'app').volumeMounts).toContainEqual({ mountPath: '/var/log/app', name: 'app-logs' });
    expect(spec.volumes).toContainEqual({ name: 'app-logs', emptyDir: { sizeLimit: '512Mi' } });
    expect(spec.initContainers ?? []).toEqual([]);
    // AND everything is valid Kubernetes 1.27 and passes the restricted profile it declares
    expect(schemaViolations(manifests, KubernetesVersion.V1_27)).toEqual([]);
    expect(pssViolations(manifests, PodSecurityLevel.RESTRICTED)).toEqual([]);
    expect(declaredLevel(only(chart, kind))).toBe('restricted');
    expect(logs.sidecars.map((c) => c.name)).toEqual(['log-access', 'log-error']);
    expect(logs.configMap).toBeUndefined();
    expect(logs.logPaths).toEqual(['/var/log/app/access.log', '/var/log/app/error.log']);
  });

  test('finds the app container by name among several containers', () => {
    const { chart } = chartAndApp();
    const { workload, app } = appWorkload(chart);
    addApp(chart, workload, 'other', 8081);
    const logs = new LogSidecar(chart, 'logs', streaming(workload, { appContainerName: 'app' }));
    expect(logs.appContainerName).toBe(app.name);
    const spec = podSpec(chart, 'Deployment');
    expect(container(spec, 'app').volumeMounts).toContainEqual({ mountPath: '/var/log/app', name: 'app-logs' });
    expect(container(spec, 'other').volumeMounts.map((m: any) => m.name)).not.toContain('app-logs');
  });

  test('takes the app container as a cdk8s-plus container', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    const other = addApp(chart, workload, 'other', 8081);
    const logs = new LogSidecar(chart, 'logs', streaming(workload, { appContainer: other }));
    expect(logs.appContainerName).toBe(other.name);
    expect(container(podSpec(chart, 'Deployment'), 'other').volumeMounts).toContainEqual({ mountPath: '/var/log/app', name: 'app-logs' });
  });

  test('names the containers <prefix>-<file stem>: DNS labels, unique, in the order given', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    new LogSidecar(chart, 'logs', streaming(workload, {
      name: 'tail',
      logFiles: ['access.log', 'access.txt', 'nginx/error.log', 'Weird_Name.LOG', '.hidden'],
    }));
    expect(podSpec(chart, 'Deployment').containers.map((c: any) => c.name)).toEqual(['app', 'tail-access', 'tail-access-2', 'tail-nginx-error', 'tail-weird-name', 'tail-hidden']);
    expect(container(podSpec(chart, 'Deployment'), 'tail-nginx-error').command).toEqual(tailing('/var/log/app/nginx/error.log'));
  });

  test('cuts long file stems so container names stay within 63 characters', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    const long = `${'a'.repeat(80)}.log`;
    new LogSidecar(chart, 'logs', streaming(workload, { logFiles: [long, `${'a'.repeat(81)}.log`] }));
    const names = podSpec(chart, 'Deployment').containers.map((c: any) => c.name).slice(1);
    expect(names).toEqual([`log-${'a'.repeat(59)}`, `log-${'a'.repeat(57)}-2`]);
    for (const n of names) expect(n.length).toBeLessThanOrEqual(63);
  });

  test('normalizes the log directory before joining paths', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    const logs = new LogSidecar(chart, 'logs', streaming(workload, { logDirectory: '/var//log/./app/', logFiles: ['a.log'] }));
    expect(logs.logDirectory).toBe('/var/log/app');
    expect(container(podSpec(chart, 'Deployment'), 'log-a').command).toEqual(tailing('/var/log/app/a.log'));
  });

  test('exports the streaming command and the file stem as pure functions', () => {
    expect(streamingTailCommand('/var/log/app/access.log')).toEqual(['tail', '-n+1', '-F', '/var/log/app/access.log']);
    expect(streamingCommand('/var/log/app/access.log')).toEqual(['sh', '-c', 'trap "sleep 1; exit 0" TERM; tail -n+1 -F /var/log/app/access.log & wait']);
    expect(fileStem('nginx/access.log')).toBe('nginx-access');
    expect(fileStem('gc.log.0')).toBe('gc-log');
  });

  test('takes the volume name, size limit, image and resources from the props', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    new LogSidecar(chart, 'logs', streaming(workload, {
      logFiles: ['a.log'],
      volumeName: 'logs',
      volumeSizeLimit: Size.gibibytes(1),
      shipping: LogShipping.streaming({ image: 'busybox:1.36.1-musl' }),
      resources: { cpu: { request: kplus.Cpu.millis(5) }, memory: { request: Size.mebibytes(8), limit: Size.mebibytes(16) } },
    }));
    const spec = podSpec(chart, 'Deployment');
    const c = container(spec, 'log-a');
    expect(c.image).toBe('busybox:1.36.1-musl');
    expect(c.resources).toEqual({ limits: { memory: '16Mi' }, requests: { cpu: '5m', memory: '8Mi' } });
    expect(c.volumeMounts).toEqual([{ mountPath: '/var/log/app', name: 'logs', readOnly: true }]);
    expect(spec.volumes).toContainEqual({ name: 'logs', emptyDir: { sizeLimit: '1Gi' } });
  });

  test.each([
    ['the default', undefined, '512Mi'],
    ['whole gibibytes', Size.gibibytes(2), '2Gi'],
    ['1024 mebibytes', Size.mebibytes(1024), '1Gi'],
    ['1536 mebibytes', Size.mebibytes(1536), '1536Mi'],
    ['a whole number of mebibytes given in kibibytes', Size.kibibytes(65536), '64Mi'],
  ])('writes the log volume size limit (%s) as a Kubernetes quantity', (_, volumeSizeLimit, written) => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    const logs = new LogSidecar(chart, 'logs', streaming(workload, { volumeSizeLimit }));
    expect(podSpec(chart, 'Deployment').volumes).toContainEqual({ name: 'app-logs', emptyDir: { sizeLimit: written } });
    expect(logs.volume.emptyDir?.sizeLimit?.value).toBe(written);
  });

  test('streams by default: the shipping is LogShipping.streaming()', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    const logs = new LogSidecar(chart, 'logs', streaming(workload));
    expect(logs.shipping.kind).toBe(LogShippingKind.STREAMING);
    expect(logs.configMap).toBeUndefined();
    expect(logs.sidecars.map((c) => [c.name, c.image])).toEqual([['log-access', 'busybox:1.36.1'], ['log-error', 'busybox:1.36.1']]);
  });

  test('declares baseline when hardening is NONE', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    new LogSidecar(chart, 'logs', streaming(workload, { hardening: Hardening.NONE }));
    const deployment = only(chart, 'Deployment');
    expect(container(podSpec(chart, 'Deployment'), 'log-access').securityContext).toBeUndefined();
    expect(declaredLevel(deployment)).toBe('baseline');
    expect(pssViolations([deployment], PodSecurityLevel.BASELINE)).toEqual([]);
  });

  test('synthesizes the same output twice', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    new LogSidecar(chart, 'logs', streaming(workload));
    expect(JSON.stringify(Testing.synth(chart))).toBe(JSON.stringify(Testing.synth(chart)));
  });
});

describe('LogSidecar, native sidecars', () => {
  test.each([KubernetesVersion.V1_29, KubernetesVersion.V1_33] as const)('emits the tails as init containers with restartPolicy Always, valid on Kubernetes %s', (version) => {
    // GIVEN a Job on a chart targeting the version
    const { chart } = chartAndApp(version);
    const { workload } = appWorkload(chart, 'Job');
    // WHEN
    new LogSidecar(chart, 'logs', streaming(workload, { nativeSidecar: true }));
    // THEN the tails start before the app and do not keep the Job from completing
    const manifests = render(chart);
    const spec = podSpec(chart, 'Job');
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app']);
    expect(spec.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['log-access', 'Always'], ['log-error', 'Always']]);
    expect(container(spec, 'log-access').command).toEqual(tailing('/var/log/app/access.log'));
    expect(container(spec, 'log-access').volumeMounts).toEqual([{ mountPath: '/var/log/app', name: 'app-logs', readOnly: true }]);
    expect(schemaViolations(manifests, version)).toEqual([]);
    expect(pssViolations(manifests, PodSecurityLevel.RESTRICTED)).toEqual([]);
  });

  test('attaches to a CronJob\'s job template as well', () => {
    const { chart } = chartAndApp(KubernetesVersion.V1_29);
    const cron = new kplus.CronJob(chart, 'nightly', { schedule: Cron.daily() });
    addApp(chart, cron);
    new LogSidecar(chart, 'logs', streaming(cron, { nativeSidecar: true, logFiles: ['run.log'] }));
    const manifests = render(chart);
    const cronJob = manifests.find((m) => m.kind === 'CronJob');
    const spec = cronJob.spec.jobTemplate.spec.template.spec;
    expect(spec.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['log-run', 'Always']]);
    expect(container(spec, 'app').volumeMounts).toContainEqual({ mountPath: '/var/log/app', name: 'app-logs' });
    expect(schemaViolations(manifests, KubernetesVersion.V1_29)).toEqual([]);
    expect(pssViolations(manifests, PodSecurityLevel.RESTRICTED)).toEqual([]);
  });

  test('emits a field the Kubernetes 1.27 schema rejects (so the 1.27 target refuses it)', () => {
    const { chart } = chartAndApp(KubernetesVersion.V1_29);
    const { workload } = appWorkload(chart, 'Job');
    new LogSidecar(chart, 'logs', streaming(workload, { nativeSidecar: true }));
    const violations = schemaViolations(render(chart), KubernetesVersion.V1_27);
    expect(violations.length).toBeGreaterThan(0);
    expect(violations.join('\n')).toContain('restartPolicy');
  });

  test('fails when nativeSidecar is set and the target is Kubernetes 1.27', () => {
    expect(propsError({ nativeSidecar: true })).toBe(`${header}nativeSidecar: received true; expected false, or a target Kubernetes version of 1.29 or later (the target is 1.27; native sidecars are alpha and off by default in 1.28 and absent before): call setKubernetesVersion(app or chart, KubernetesVersion.V1_29) before adding charts`);
  });
});

/** The classic-format sections of a Fluent Bit file: name and entries, in order. */
function sections(text: string): Array<{ name: string; entries: Array<[string, string]> }> {
  const out: Array<{ name: string; entries: Array<[string, string]> }> = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const head = /^\[([A-Z]+)\]$/.exec(line);
    if (head) {
      out.push({ name: head[1], entries: [] });
      continue;
    }
    // Format and Schema: every entry is indented (four spaces), a key, spaces, and a value to the end of the line
    const entry = /^ {4}(\S+) +(\S.*)$/.exec(line);
    if (!entry || out.length === 0) throw new Error(`not a classic-format line: ${JSON.stringify(line)}`);
    out[out.length - 1].entries.push([entry[1], entry[2]]);
  }
  return out;
}

/**
 * The keys the Fluent Bit documentation lists (classic mode; keys are case-insensitive):
 * configuration-file.md (SERVICE, and Name/Tag/Match/Log_Level of every INPUT and OUTPUT),
 * pipeline/inputs/tail.md, pipeline/parsers/configuring-parser.md, pipeline/outputs/standard-output.md,
 * pipeline/outputs/forward.md and pipeline/outputs/elasticsearch.md.
 */
const DOCUMENTED_KEYS: Record<string, readonly string[]> = {
  SERVICE: ['flush', 'grace', 'daemon', 'dns.mode', 'log_file', 'log_level', 'parsers_file', 'plugins_file', 'streams_file', 'http_server', 'http_listen', 'http_port', 'coro_stack_size', 'scheduler.cap', 'scheduler.base', 'json.convert_nan_to_null', 'sp.convert_from_str_to_num'],
  tail: ['name', 'tag', 'log_level', 'buffer_chunk_size', 'buffer_max_size', 'path', 'path_key', 'exclude_path', 'offset_key', 'read_from_head', 'refresh_interval', 'rotate_wait', 'ignore_older', 'skip_long_lines', 'skip_empty_lines', 'db', 'db.sync', 'db.locking', 'db.journal_mode', 'db.compare_filename', 'mem_buf_limit', 'exit_on_eof', 'parser', 'key', 'inotify_watcher', 'tag_regex', 'static_batch_size'],
  PARSER: ['name', 'format', 'regex', 'time_key', 'time_format', 'time_offset', 'time_keep', 'time_system_timezone', 'types', 'decode_field', 'skip_empty_values', 'time_strict'],
  stdout: ['name', 'match', 'match_regex', 'log_level', 'format', 'json_date_key', 'json_date_format'],
  forward: ['name', 'match', 'match_regex', 'log_level', 'host', 'port', 'time_as_integer', 'upstream', 'unix_path', 'tag', 'send_options', 'require_ack_response', 'compress', 'workers', 'shared_key', 'empty_shared_key', 'username', 'password', 'self_hostname', 'tls', 'tls.verify', 'tls.debug', 'tls.ca_file', 'tls.crt_file', 'tls.key_file', 'tls.key_passwd'],
  es: ['name', 'match', 'match_regex', 'log_level', 'host', 'port', 'index', 'type', 'suppress_type_name', 'tls', 'tls.verify', 'http_user', 'http_passwd', 'logstash_format', 'logstash_prefix', 'generate_id', 'include_tag_key', 'tag_key', 'workers', 'buffer_size', 'path', 'pipeline', 'compress', 'replace_dots', 'trace_error', 'trace_output', 'write_operation', 'id_key', 'time_key'],
};
const BOOLEAN = /^(On|Off|true|false)$/;
const UNIT_SIZE = /^\d+(k|K|KB|m|M|MB|g|G|GB)?$/;

/** Checks a generated configuration against the documented format; returns every problem. */
function documentedFormatProblems(files: Record<string, string>): string[] {
  const problems: string[] = [];
  const main = sections(files['fluent-bit.conf']);
  const parsers = files['parsers.conf'] === undefined ? [] : sections(files['parsers.conf']);
  const parserNames = parsers.map((s) => s.entries.find(([k]) => k.toLowerCase() === 'name')?.[1]);
  for (const s of [...main, ...parsers]) {
    if (s.entries.length === 0) problems.push(`[${s.name}] is empty`);
    const get = (key: string) => s.entries.find(([k]) => k.toLowerCase() === key)?.[1];
    const plugin = s.name === 'SERVICE' || s.name === 'PARSER' ? s.name : get('name') ?? '(no Name)';
    const keys = DOCUMENTED_KEYS[plugin];
    if (!['SERVICE', 'INPUT', 'OUTPUT', 'PARSER'].includes(s.name)) problems.push(`unknown section [${s.name}]`);
    if (!keys) {
      problems.push(`[${s.name}] plugin ${plugin} is not one this construct documents`);
      continue;
    }
    for (const [k] of s.entries) if (!keys.includes(k.toLowerCase())) problems.push(`[${s.name}] ${plugin}: undocumented key ${k}`);
    if (s.name === 'INPUT' && get('tag') === undefined) problems.push('[INPUT] without Tag');
    if (s.name === 'OUTPUT' && get('match') === undefined) problems.push('[OUTPUT] without Match');
    if (s.name === 'PARSER' && !['json', 'regex', 'ltsv', 'logfmt'].includes(get('format') ?? '')) problems.push(`[PARSER] Format ${get('format')}`);
    if (s.name === 'PARSER' && get('format') === 'regex' && get('regex') === undefined) problems.push('[PARSER] regex without Regex');
    if (plugin === 'stdout' && !['msgpack', 'json', 'json_lines', 'json_stream'].includes(get('format') ?? 'msgpack')) problems.push(`stdout Format ${get('format')}`);
    for (const key of ['read_from_head', 'skip_long_lines', 'db.locking', 'daemon', 'http_server', 'suppress_type_name', 'tls', 'time_keep']) {
      const v = get(key);
      if (v !== undefined && !BOOLEAN.test(v)) problems.push(`[${s.name}] ${key} ${v} is not a boolean`);
    }
    const mem = get('mem_buf_limit');
    if (mem !== undefined && !UNIT_SIZE.test(mem)) problems.push(`Mem_Buf_Limit ${mem} is not a unit size`);
    const parser = s.name === 'INPUT' ? get('parser') : undefined;
    if (parser !== undefined && !parserNames.includes(parser)) problems.push(`[INPUT] Parser ${parser} is not defined in parsers.conf`);
    const level = get('log_level');
    if (level !== undefined && !['off', 'error', 'warn', 'info', 'debug', 'trace'].includes(level)) problems.push(`Log_Level ${level}`);
  }
  const service = main.filter((s) => s.name === 'SERVICE');
  if (service.length !== 1 || main[0].name !== 'SERVICE') problems.push('the file does not start with its one [SERVICE] section');
  const parsersFile = service[0]?.entries.find(([k]) => k.toLowerCase() === 'parsers_file')?.[1];
  if ((parsersFile !== undefined) !== (files['parsers.conf'] !== undefined)) problems.push(`Parsers_File ${parsersFile} and parsers.conf disagree`);
  if (parsersFile !== undefined && parsersFile !== '/fluent-bit/etc/parsers.conf') problems.push(`Parsers_File ${parsersFile} is not where the ConfigMap is mounted`);
  return problems;
}

describe('LogSidecar, agent mode', () => {
  test.each(SERVING_WORKLOAD_KINDS)('attaches a Fluent Bit agent configured by a ConfigMap to a %s', (kind) => {
    // GIVEN
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart, kind);
    // WHEN
    const logs = new LogSidecar(chart, 'logs', agent(workload));
    // THEN one agent container reads the files read-only and its configuration from the ConfigMap
    const manifests = render(chart);
    const spec = podSpec(chart, kind);
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app', 'fluent-bit']);
    const c = container(spec, 'fluent-bit');
    expect(c.image).toBe('fluent/fluent-bit:3.2.10');
    expect(c.command).toEqual(['/fluent-bit/bin/fluent-bit']);
    expect(c.args).toEqual(['-c', '/fluent-bit/etc/fluent-bit.conf']);
    expect(c.volumeMounts).toEqual([
      { mountPath: '/fluent-bit/db', name: 'fluent-bit-db' },
      { mountPath: '/var/log/app', name: 'app-logs', readOnly: true },
      { mountPath: '/fluent-bit/etc', name: 'fluent-bit-config', readOnly: true },
    ]);
    expect(c.securityContext).toEqual(restrictedContext());
    expect(c.resources).toEqual({ limits: { memory: '128Mi' }, requests: { cpu: '20m', memory: '64Mi' } });
    const configMap = only(chart, 'ConfigMap');
    expect(spec.volumes).toEqual(expect.arrayContaining([
      { name: 'app-logs', emptyDir: { sizeLimit: '512Mi' } },
      { name: 'fluent-bit-db', emptyDir: { sizeLimit: '128Mi' } },
      { name: 'fluent-bit-config', configMap: { name: configMap.metadata.name } },
    ]));
    expect(configMap.data).toEqual(logs.agentConfig);
    expect(Object.keys(configMap.data)).toEqual(['fluent-bit.conf']);
    expect(schemaViolations(manifests, KubernetesVersion.V1_27)).toEqual([]);
    expect(pssViolations(manifests, PodSecurityLevel.RESTRICTED)).toEqual([]);
    expect(declaredLevel(only(chart, kind))).toBe('restricted');
    expect(logs.sidecars).toHaveLength(1);
    expect(logs.configMap).toBeDefined();
  });

  test('GIVEN LogShipping.fluentBit() THEN the LogSidecar reports that shipping, and the shipping shows its options as JSON', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    const shipping = LogShipping.fluentBit({ tagPrefix: 'web', output: LogOutput.forward({ host: 'fluentd' }) });
    const logs = new LogSidecar(chart, 'logs', streaming(workload, { shipping }));
    expect(logs.shipping).toBe(shipping);
    expect(logs.shipping.kind).toBe(LogShippingKind.FLUENT_BIT);
    expect(logs.sidecars.map((c) => c.name)).toEqual(['fluent-bit']);
    expect(JSON.stringify(shipping)).toBe('{"kind":"fluent-bit","tagPrefix":"web","output":{"host":"fluentd","type":"forward"}}');
    expect(JSON.stringify(LogShipping.streaming())).toBe('{"kind":"streaming"}');
  });

  test('GIVEN flush and refresh intervals as Durations THEN the configuration flushes and refreshes at them, in seconds', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    new LogSidecar(chart, 'logs', agent(workload, { logFiles: ['a.log'] }, { flushInterval: Duration.seconds(3), refreshInterval: Duration.minutes(1) }));
    const conf: string = only(chart, 'ConfigMap').data['fluent-bit.conf'];
    expect(conf).toContain('\n    Flush       3\n');
    expect(conf).toContain('\n    Refresh_Interval 60\n');
  });

  test('generates a tail input per file and a stdout output by default', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    new LogSidecar(chart, 'logs', agent(workload));
    expect(only(chart, 'ConfigMap').data['fluent-bit.conf']).toBe([
      '[SERVICE]',
      '    Flush       1',
      '    Daemon      Off',
      '    Log_Level   info',
      '    HTTP_Server Off',
      '',
      '[INPUT]',
      '    Name             tail',
      '    Tag              app.access',
      '    Path             /var/log/app/access.log',
      '    Read_from_Head   On',
      '    Refresh_Interval 5',
      '    Skip_Long_Lines  On',
      '    Mem_Buf_Limit    5MB',
      '    DB               /fluent-bit/db/access.db',
      '    DB.locking       true',
      '',
      '[INPUT]',
      '    Name             tail',
      '    Tag              app.error',
      '    Path             /var/log/app/error.log',
      '    Read_from_Head   On',
      '    Refresh_Interval 5',
      '    Skip_Long_Lines  On',
      '    Mem_Buf_Limit    5MB',
      '    DB               /fluent-bit/db/error.db',
      '    DB.locking       true',
      '',
      '[OUTPUT]',
      '    Name   stdout',
      '    Match  app.*',
      '    Format json_lines',
      '',
    ].join('\n'));
  });

  test('generates a json parser and a forward output', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    new LogSidecar(chart, 'logs', agent(workload, { logFiles: ['app.json'] }, {
      tagPrefix: 'shop',
      parser: LogParser.json({ timeKey: 'ts', timeFormat: '%Y-%m-%dT%H:%M:%S.%L%z', timeKeep: true }),
      output: LogOutput.forward({ host: 'fluentd.logging.svc.cluster.local' }),
    }));
    const data = only(chart, 'ConfigMap').data;
    expect(data['fluent-bit.conf']).toBe([
      '[SERVICE]',
      '    Flush        1',
      '    Daemon       Off',
      '    Log_Level    info',
      '    HTTP_Server  Off',
      '    Parsers_File /fluent-bit/etc/parsers.conf',
      '',
      '[INPUT]',
      '    Name             tail',
      '    Tag              shop.app',
      '    Path             /var/log/app/app.json',
      '    Read_from_Head   On',
      '    Refresh_Interval 5',
      '    Skip_Long_Lines  On',
      '    Mem_Buf_Limit    5MB',
      '    DB               /fluent-bit/db/app.db',
      '    DB.locking       true',
      '    Parser           log-sidecar',
      '',
      '[OUTPUT]',
      '    Name  forward',
      '    Match shop.*',
      '    Host  fluentd.logging.svc.cluster.local',
      '    Port  24224',
      '',
    ].join('\n'));
    expect(data['parsers.conf']).toBe([
      '[PARSER]',
      '    Name        log-sidecar',
      '    Format      json',
      '    Time_Key    ts',
      '    Time_Format %Y-%m-%dT%H:%M:%S.%L%z',
      '    Time_Keep   On',
      '',
    ].join('\n'));
  });

  test('generates a typed regex parser and an elasticsearch output', () => {
    const files = fluentBitConfig({
      inputs: [{ path: '/var/log/nginx/access.log', id: 'access' }],
      tagPrefix: 'web',
      parser: LogParser.regex({ regex: '^(?<host>[^ ]*) [^ ]* (?<user>[^ ]*) \\[(?<time>[^\\]]*)\\] "(?<method>\\S+) (?<path>[^ ]*) \\S*" (?<code>[^ ]*) (?<size>[^ ]*)$',
        timeKey: 'time',
        timeFormat: '%d/%b/%Y:%H:%M:%S %z',
        types: { size: ParserFieldType.INTEGER, code: ParserFieldType.INTEGER } }),
      output: LogOutput.elasticsearch({ host: '10.0.0.12', index: 'web-logs', tls: true }),
    });
    expect(files['parsers.conf']).toBe([
      '[PARSER]',
      '    Name        log-sidecar',
      '    Format      regex',
      '    Regex       ^(?<host>[^ ]*) [^ ]* (?<user>[^ ]*) \\[(?<time>[^\\]]*)\\] "(?<method>\\S+) (?<path>[^ ]*) \\S*" (?<code>[^ ]*) (?<size>[^ ]*)$',
      '    Time_Key    time',
      '    Time_Format %d/%b/%Y:%H:%M:%S %z',
      '    Types       code:integer size:integer',
      '',
    ].join('\n'));
    expect(files['fluent-bit.conf']).toContain([
      '[OUTPUT]',
      '    Name               es',
      '    Match              web.*',
      '    Host               10.0.0.12',
      '    Port               9200',
      '    Index              web-logs',
      '    Suppress_Type_Name On',
      '    tls                On',
      '',
    ].join('\n'));
    expect(files['fluent-bit.conf']).not.toContain('DB');
  });

  test.each([
    ['no parser, stdout', {}],
    ['json parser, forward with TLS', { parser: LogParser.json({ timeKey: 'time' }), output: LogOutput.forward({ host: 'fluentd', port: 24225, tls: true }) }],
    ['regex parser, elasticsearch', { parser: LogParser.regex({ regex: '^(?<level>\\w+) (?<message>.*)$', types: { level: ParserFieldType.STRING } }), output: LogOutput.elasticsearch({ host: 'es.logging.svc', suppressTypeName: false }) }],
    ['stdout as msgpack', { output: LogOutput.stdout({ format: StdoutFormat.MSGPACK }) }],
  ] as Array<[string, FluentBitShippingOptions]>)('generates only sections and keys the Fluent Bit docs list (%s)', (_, overrides) => {
    // Fluent Bit is not packaged in Debian, so the configuration is checked against the
    // documented classic format instead of being loaded by the real binary.
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    new LogSidecar(chart, 'logs', agent(workload, { logFiles: ['a.log', 'sub/b.log'] }, overrides));
    const data = only(chart, 'ConfigMap').data;
    expect(documentedFormatProblems(data)).toEqual([]);
    // AND every path the configuration names is where the pod mounts it
    const c = container(podSpec(chart, 'Deployment'), 'fluent-bit');
    const main = sections(data['fluent-bit.conf']);
    for (const input of main.filter((s) => s.name === 'INPUT')) {
      const entries = Object.fromEntries(input.entries);
      expect(entries.Path.startsWith('/var/log/app/')).toBe(true);
      expect(entries.DB.startsWith('/fluent-bit/db/')).toBe(true);
    }
    expect(c.volumeMounts).toContainEqual({ mountPath: '/var/log/app', name: 'app-logs', readOnly: true });
    expect(c.volumeMounts).toContainEqual({ mountPath: '/fluent-bit/db', name: 'fluent-bit-db' });
  });

  test('keeps the offset databases in an emptyDir, as the root filesystem is read-only', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    new LogSidecar(chart, 'logs', agent(workload));
    const spec = podSpec(chart, 'Deployment');
    const c = container(spec, 'fluent-bit');
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    const dbMount = c.volumeMounts.find((m: any) => m.mountPath === '/fluent-bit/db');
    expect(spec.volumes.find((v: any) => v.name === dbMount.name)).toEqual({ name: 'fluent-bit-db', emptyDir: { sizeLimit: '128Mi' } });
  });

  test('creates the ConfigMap in the namespace of the workload', () => {
    const { chart } = chartAndApp();
    const workload = new kplus.Deployment(chart, 'workload', { metadata: { namespace: 'shop' } });
    addApp(chart, workload);
    new LogSidecar(chart, 'logs', agent(workload));
    expect(only(chart, 'ConfigMap').metadata.namespace).toBe('shop');
  });

  test('emits the agent as a native sidecar on Kubernetes 1.29', () => {
    const { chart } = chartAndApp(KubernetesVersion.V1_29);
    const { workload } = appWorkload(chart, 'Job');
    new LogSidecar(chart, 'logs', agent(workload, { nativeSidecar: true }));
    const spec = podSpec(chart, 'Job');
    expect(spec.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['fluent-bit', 'Always']]);
    expect(schemaViolations(render(chart), KubernetesVersion.V1_29)).toEqual([]);
  });

  test('synthesizes the same output twice', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    new LogSidecar(chart, 'logs', agent(workload, {}, { parser: LogParser.regex({ regex: '^(?<message>.*)$' }), output: LogOutput.elasticsearch({ host: 'es' }) }));
    expect(JSON.stringify(Testing.synth(chart))).toBe(JSON.stringify(Testing.synth(chart)));
  });
});

describe('LogSidecar, invalid props', () => {
  const FILE_EXPECTED = 'a file name relative to logDirectory: letters, digits, ".", "_" or "-", optionally in sub-directories joined by "/", without a leading "/" or "." and ".." segments';

  test.each([
    ['../secret.log'],
    ['/var/log/app/access.log'],
    ['a/../b.log'],
    ['access log.txt'],
    ['logs/'],
    ['*.log'],
  ])('fails when a log file name is %j', (file) => {
    expect(propsError({ logFiles: [file] })).toBe(`${header}logFiles[0]: received ${JSON.stringify(file)}; expected ${FILE_EXPECTED}`);
  });

  test('fails when a log file is listed twice', () => {
    expect(propsError({ logFiles: ['a.log', 'b.log', 'a.log'] })).toBe(`${header}logFiles[2]: received "a.log"; expected a file not listed twice`);
  });

  test('fails when no log file is given', () => {
    expect(propsError({ logFiles: [] })).toBe(`${header}logFiles: received []; expected a non-empty list`);
  });

  test('fails when the log directory is relative', () => {
    expect(propsError({ logDirectory: 'logs' })).toBe(`${header}logDirectory: received "logs"; expected an absolute path starting with "/", without ".." segments or ":"`);
  });

  test.each(['/var/log/my app', '/var/log/$HOME', "/var/log/a'b", '/var/log/a,b'])('fails when the log directory %j has characters the shell or Fluent Bit would read', (dir) => {
    expect(propsError({ logDirectory: dir })).toBe(`${header}logDirectory: received ${JSON.stringify(dir)}; expected a path of letters, digits, ".", "_", "-" and "/" only (it is written into the sidecars' shell command and Fluent Bit's configuration)`);
  });

  test('fails when the log directory is a system directory', () => {
    expect(propsError({ logDirectory: '/etc/' })).toBe(`${header}logDirectory: received "/etc/"; expected a directory of its own for the logs, which the emptyDir replaces (not "/", "/bin", "/sbin", "/lib", "/lib64", "/usr", "/usr/bin", "/usr/sbin", "/usr/lib", "/etc", nor under "/proc", "/sys", "/dev")`);
  });

  test('fails when the agent\'s log directory is inside /fluent-bit', () => {
    expect(propsError({ shipping: LogShipping.fluentBit(), logDirectory: '/fluent-bit/log' })).toBe(`${header}logDirectory: received "/fluent-bit/log"; expected a directory outside "/fluent-bit", where the agent image keeps its binary and configuration`);
  });

  test('fails when the shipping is not a LogShipping (an untyped caller passing the old mode string)', () => {
    expect(propsError({ shipping: 'agent' as any })).toBe(`${header}shipping: received "agent"; expected a LogShipping (LogShipping.streaming({...}) or LogShipping.fluentBit({...}))`);
  });

  test('fails when the streamer image is not pinned', () => {
    expect(propsError({ shipping: LogShipping.streaming({ image: 'busybox:latest' }) })).toBe(`${header}shipping.image: received "busybox:latest"; expected a pinned image: a tag other than "latest" (e.g. "nginx:1.27.5") or a digest ("@sha256:...")`);
  });

  test('fails when the agent image has no tag', () => {
    expect(propsError({ shipping: LogShipping.fluentBit({ image: 'fluent/fluent-bit' }) })).toBe(`${header}shipping.image: received "fluent/fluent-bit"; expected a pinned image: a tag other than "latest" (e.g. "nginx:1.27.5") or a digest ("@sha256:...")`);
  });

  test.each([
    ['half a mebibyte', Size.kibibytes(512), '512 KiB'],
    ['not a whole number of mebibytes', Size.kibibytes(1536), '1536 KiB'],
    ['more than 1 TiB', Size.tebibytes(2), '2147483648 KiB'],
  ])('fails when the volume size limit is %s', (_, size, shown) => {
    expect(propsError({ volumeSizeLimit: size })).toBe(`${header}volumeSizeLimit: received "${shown}"; expected a whole number of mebibytes from 1 MiB to 1 TiB, e.g. Size.mebibytes(512) or Size.gibibytes(1)`);
  });

  test('fails when an untyped caller passes the volume size limit as a string', () => {
    expect(propsError({ volumeSizeLimit: '1Gi' as any })).toBe(`${header}volumeSizeLimit: received "1Gi"; expected a cdk8s Size, e.g. Size.mebibytes(512)`);
  });

  test('fails when the container name prefix is too long for the file stems', () => {
    const name = 'l'.repeat(41);
    expect(propsError({ name })).toBe(`${header}name: received "${name}"; expected a prefix of at most 40 characters, leaving room for the file stems in the 63-character container names`);
  });

  test('fails when a sidecar container name is already used in the workload', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    addApp(chart, workload, 'log-access');
    expect(errorOf(() => new LogSidecar(chart, 'logs', streaming(workload, { appContainerName: 'app' })))).toBe(`${header}name: received "log"; expected a name whose sidecar containers are not already in the workload ("log-access" is)`);
  });

  test('fails when the volume name is already used by the workload', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    new LogSidecar(chart, 'first', streaming(workload, { logFiles: ['a.log'] }));
    expect(errorOf(() => new LogSidecar(chart, 'logs', streaming(workload, { appContainerName: 'app', logDirectory: '/var/log/other', logFiles: ['b.log'] }))))
      .toBe(`${header}volumeName: received "app-logs"; expected a volume name not used by another volume of the workload`);
  });

  test('fails when the app container already mounts something at the log directory', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    expect(errorOf(() => new LogSidecar(chart, 'logs', streaming(workload, { logDirectory: '/tmp' }))))
      .toBe(`${header}logDirectory: received "/tmp"; expected a path where the app container mounts nothing yet (it mounts "app-tmp" there)`);
  });

  test('fails when the named app container is not in the workload', () => {
    expect(propsError({ appContainerName: 'web' })).toBe(`${header}appContainerName: received "web"; expected the name of a container of the workload (it has "app")`);
  });

  test('fails when the app container belongs to another workload', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    const other = newWorkload(chart, 'Pod', 'other');
    const stranger = addApp(chart, other, 'stranger');
    expect(errorOf(() => new LogSidecar(chart, 'logs', streaming(workload, { appContainer: stranger }))))
      .toBe(`${header}appContainer: received "stranger"; expected a container of the workload (it has "app")`);
  });

  test('fails when the workload has several containers and none is named', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    addApp(chart, workload, 'other');
    expect(errorOf(() => new LogSidecar(chart, 'logs', streaming(workload))))
      .toBe(`${header}appContainer: received undefined; expected the app container (or appContainerName); the workload has several containers ("app", "other"): name one`);
  });

  test('fails when the workload has no container yet', () => {
    const { chart } = chartAndApp();
    const workload = newWorkload(chart, 'Deployment');
    expect(errorOf(() => new LogSidecar(chart, 'logs', streaming(workload))))
      .toBe(`${header}appContainer: received undefined; expected the app container (or appContainerName); the workload has no containers yet: add the app container first`);
  });

  test('fails when the workload cannot render, with the error it threw (not as a workload without containers)', () => {
    // GIVEN a workload whose rendering throws something other than "no containers"
    const { chart } = chartAndApp();
    const workload = newWorkload(chart, 'Deployment');
    ApiObject.of(workload).toJson = () => {
      throw new TypeError('boom');
    };
    // WHEN a pattern looks at its pod
    const message = errorOf(() => new LogSidecar(chart, 'logs', streaming(workload)));
    // THEN the real error is reported at the workload's path
    expect(message).toBe('[test/workload/Resource] invalid props:\n  toJson(): received the error "TypeError: boom"; expected the object to render (the library reads the pod as it stands to check a pattern\'s props)');
  });

  test.each([0, 70000, 8.5])('fails when the output port is %p', (port) => {
    expect(propsError({ shipping: LogShipping.fluentBit({ output: LogOutput.forward({ host: 'fluentd', port }) }) }))
      .toBe(`${header}shipping.output.port: received ${port}; expected an integer port number from 1 to 65535`);
  });

  test.each(['bad host', 'Fluentd', '300.1.1.1', ''])('fails when the output host is %j', (host) => {
    expect(propsError({ shipping: LogShipping.fluentBit({ output: LogOutput.elasticsearch({ host }) }) }))
      .toBe(`${header}shipping.output.host: received ${JSON.stringify(host)}; expected a DNS name (a DNS-1123 subdomain such as "fluentd.logging.svc.cluster.local") or an IPv4 address`);
  });

  test('fails when the elasticsearch index has upper-case letters', () => {
    expect(propsError({ shipping: LogShipping.fluentBit({ output: LogOutput.elasticsearch({ host: 'es', index: 'Logs' }) }) }))
      .toBe(`${header}shipping.output.index: received "Logs"; expected an Elasticsearch index name: at most 255 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit`);
  });

  test('fails when an untyped caller gives the stdout output a format StdoutFormat does not have', () => {
    expect(propsError({ shipping: LogShipping.fluentBit({ output: LogOutput.stdout({ format: 'yaml' as any }) }) }))
      .toBe(`${header}shipping.output.format: received "yaml"; expected one of "json_lines", "json", "msgpack"`);
  });

  test('fails when the output type is unknown', () => {
    expect(propsError({ shipping: LogShipping.fluentBit({ output: { type: 'loki' } as any }) })).toBe(`${header}shipping.output: received {"type":"loki"}; expected a LogOutput (LogOutput.stdout({...}), LogOutput.forward({...}) or LogOutput.elasticsearch({...}))`);
  });

  test('fails when the regex has no named group', () => {
    expect(propsError({ shipping: LogShipping.fluentBit({ parser: LogParser.regex({ regex: '^(.*)$' }) }) }))
      .toBe(`${header}shipping.parser.regex: received "^(.*)$"; expected a regular expression with at least one named group such as (?<message>.*)`);
  });

  test('fails when a regex group name has a dash', () => {
    expect(propsError({ shipping: LogShipping.fluentBit({ parser: LogParser.regex({ regex: '^(?<user-name>.*)$' }) }) }))
      .toBe(`${header}shipping.parser.regex: received "^(?<user-name>.*)$"; expected group names of letters, digits or "_" only (Onigmo rejects "user-name")`);
  });

  test('fails when the regex spans lines', () => {
    expect(propsError({ shipping: LogShipping.fluentBit({ parser: LogParser.regex({ regex: '^(?<a>.*)\n$' }) }) }))
      .toBe(`${header}shipping.parser.regex: received "^(?<a>.*)\\n$"; expected a non-empty value on one line`);
  });

  test('fails when a typed field is not a group of the regex', () => {
    expect(propsError({ shipping: LogShipping.fluentBit({ parser: LogParser.regex({ regex: '^(?<message>.*)$', types: { size: ParserFieldType.INTEGER } }) }) }))
      .toBe(`${header}shipping.parser.types: received "size"; expected the name of a group of the regex ("message")`);
  });

  test('fails when the time format is given without a time key', () => {
    expect(propsError({ shipping: LogShipping.fluentBit({ parser: LogParser.json({ timeFormat: '%s' }) }) }))
      .toBe(`${header}shipping.parser.timeFormat: received "%s"; expected unset unless timeKey is set`);
  });

  test.each([
    ['mode "agent"', { mode: 'agent' }, 'mode: received "agent"; expected unset (a removed prop): use shipping: LogShipping.fluentBit({...}) instead'],
    ['mode "streaming"', { mode: 'streaming' }, 'mode: received "streaming"; expected unset (a removed prop): use shipping: LogShipping.streaming() (the default) instead'],
    ['another mode', { mode: 'files' }, 'mode: received "files"; expected unset (a removed prop): use shipping: LogShipping.streaming() or shipping: LogShipping.fluentBit({...}) instead'],
    ['streamerImage', { streamerImage: 'busybox:1.36.1' }, 'streamerImage: received "busybox:1.36.1"; expected unset (a removed prop): use shipping: LogShipping.streaming({ image }) instead'],
    ['agentImage', { agentImage: 'fluent/fluent-bit:3.2.10' }, 'agentImage: received "fluent/fluent-bit:3.2.10"; expected unset (a removed prop): use shipping: LogShipping.fluentBit({ image }) instead'],
    ['parser', { parser: LogParser.json() }, 'parser: received a LogParser; expected unset (a removed prop): use shipping: LogShipping.fluentBit({ parser }) instead'],
    ['output', { output: LogOutput.stdout() }, 'output: received a LogOutput; expected unset (a removed prop): use shipping: LogShipping.fluentBit({ output }) instead'],
    ['tagPrefix', { tagPrefix: 'web' }, 'tagPrefix: received "web"; expected unset (a removed prop): use shipping: LogShipping.fluentBit({ tagPrefix }) instead'],
    ['rotatorImage', { rotatorImage: 'busybox:1.36.1' }, 'rotatorImage: received "busybox:1.36.1"; expected unset (a removed prop): use the rotation\'s image: LogRotation.signal({ ..., image }) or LogRotation.copyTruncate({ ..., image }) instead'],
  ])('fails when an untyped caller passes the removed prop %s, naming what replaces it', (_, old, message) => {
    expect(propsError(old as any)).toBe(`${header}${message}`);
  });

  test('fails with every removed prop and every wrong type at once', () => {
    expect(propsError({ mode: 'agent', tagPrefix: 'web', volumeSizeLimit: '1Gi' } as any)).toBe(`${header}${[
      'mode: received "agent"; expected unset (a removed prop): use shipping: LogShipping.fluentBit({...}) instead',
      'tagPrefix: received "web"; expected unset (a removed prop): use shipping: LogShipping.fluentBit({ tagPrefix }) instead',
      'volumeSizeLimit: received "1Gi"; expected a cdk8s Size, e.g. Size.mebibytes(512)',
    ].join('\n  ')}`);
  });

  test.each([
    ['streaming', () => LogShipping.streaming({ image: 7 } as any), 'shipping.image: received 7; expected a string'],
    ['Fluent Bit', () => LogShipping.fluentBit({ parser: 'json', tagPrefix: ['app'] } as any), 'shipping.parser: received "json"; expected a LogParser (LogParser.none(), LogParser.json({...}) or LogParser.regex({...}))\n  shipping.tagPrefix: received ["app"]; expected a string'],
    ['streaming, options not an object', () => LogShipping.streaming('busybox:1.36.1' as any), 'shipping: received "busybox:1.36.1"; expected the options of LogShipping.streaming({ image })'],
    ['Fluent Bit, options not an object', () => LogShipping.fluentBit(42 as any), 'shipping: received 42; expected the options of LogShipping.fluentBit({ parser, output, tagPrefix, image })'],
  ])('fails when an untyped caller gives the %s shipping options of the wrong type', (_, shipping, message) => {
    expect(propsError({ shipping: shipping() })).toBe(`${header}${message}`);
  });

  test('fails when the flush or refresh interval is no whole number of seconds from 1 to 3600, or no Duration', () => {
    expect(propsError({ shipping: LogShipping.fluentBit({ flushInterval: Duration.millis(500), refreshInterval: Duration.hours(2) }) })).toBe(`${header}${[
      'shipping.flushInterval: received "0.5s"; expected a whole number of seconds from 1 to 3600',
      'shipping.refreshInterval: received "7200s"; expected a whole number of seconds from 1 to 3600',
    ].join('\n  ')}`);
    expect(propsError({ shipping: LogShipping.fluentBit({ flushInterval: 1 as any }) })).toBe(`${header}shipping.flushInterval: received 1; expected a cdk8s Duration, e.g. Duration.seconds(1)`);
  });

  test('fails when the tag prefix has a dot', () => {
    expect(propsError({ shipping: LogShipping.fluentBit({ tagPrefix: 'app.logs' }) })).toBe(`${header}shipping.tagPrefix: received "app.logs"; expected 1-32 letters, digits, "_" or "-"`);
  });

  test('reports every invalid prop at once', () => {
    expect(propsError({ logDirectory: 'logs', logFiles: ['../x'], volumeName: 'Logs' })).toBe(`${header}${[
      'logDirectory: received "logs"; expected an absolute path starting with "/", without ".." segments or ":"',
      `logFiles[0]: received "../x"; expected ${FILE_EXPECTED}`,
      'volumeName: received "Logs"; expected a DNS-1123 label: 1-63 lowercase letters, digits or "-", starting and ending with a letter or digit',
    ].join('\n  ')}`);
  });

  test('exports its default images', () => {
    expect(DEFAULT_LOG_STREAMER_IMAGE).toBe('busybox:1.36.1');
    expect(DEFAULT_LOG_AGENT_IMAGE).toBe('fluent/fluent-bit:3.2.10');
  });
});

describe('LogSidecar example charts', () => {
  test('pass every synth check (schema of their target version, pod checks, declared Pod Security)', () => {
    // GIVEN the streaming and agent examples on 1.27 and the Job example on 1.29
    const app = Testing.app();
    new LogSidecarChart(app, 'log-sidecar');
    new LogSidecarJobChart(app, 'log-sidecar-job');
    // WHEN
    const { files } = synthToMemory(app);
    // THEN
    expect([...files.keys()]).toEqual(['log-sidecar.k8s.yaml', 'log-sidecar-job.k8s.yaml']);
  });

  test('stream nginx\'s two log files and ship its access log with the nginx regex', () => {
    const chart = new LogSidecarChart(Testing.app(), 'log-sidecar');
    const manifests = Testing.synth(chart);
    const web = podSpecOf(manifests.find((m) => m.metadata.name === 'web-logs'));
    expect(web.containers.map((c: any) => c.name)).toEqual(['nginx', 'log-access', 'log-error']);
    expect(container(web, 'nginx').volumeMounts).toContainEqual({ mountPath: '/var/log/nginx', name: 'app-logs' });
    expect(container(web, 'log-error').command).toEqual(tailing('/var/log/nginx/error.log'));
    const shipped = podSpecOf(manifests.find((m) => m.metadata.name === 'web-shipped-logs'));
    expect(shipped.containers.map((c: any) => c.name)).toEqual(['nginx', 'fluent-bit', 'fluent-bit-rotate']);
    // the shipped access log is rotated at 50 MiB (3 copies: 200 MiB of the 512Mi volume), nginx reopening it on USR1
    expect(shipped.shareProcessNamespace).toBe(true);
    expect(container(shipped, 'fluent-bit-rotate').securityContext.runAsUser).toBe(101);
    expect(container(shipped, 'fluent-bit-rotate').command[2]).toContain('[ "$(stat -c %s "$f")" -gt 52428800 ]');
    const config = manifests.find((m) => m.kind === 'ConfigMap').data;
    expect(config['fluent-bit.conf']).toContain('    Path             /var/log/nginx/access.log\n');
    expect(config['parsers.conf']).toContain('    Types       code:integer size:integer\n');
    expect(documentedFormatProblems(config)).toEqual([]);
  });

  test('the nginx parser\'s expression matches a line of nginx\'s default access log format', () => {
    // JavaScript's named groups use Onigmo's (?<name>...) syntax; this expression needs no other feature
    const line = '10.1.2.3 - - [29/Jul/2025:10:27:10 +0000] "GET /index.html HTTP/1.1" 200 615 "-" "curl/8.5.0" "-"';
    const m = new RegExp(NGINX_ACCESS_LOG_PARSER.toJSON().regex).exec(line);
    expect(m?.groups).toEqual({
      remote: '10.1.2.3', host: '-', user: '-', time: '29/Jul/2025:10:27:10 +0000', method: 'GET', path: '/index.html',
      code: '200', size: '615', referer: '-', agent: 'curl/8.5.0',
    });
  });

  test('stream the batch Job\'s log from a native sidecar on Kubernetes 1.29', () => {
    const chart = new LogSidecarJobChart(Testing.app(), 'log-sidecar-job');
    const job = only(chart, 'Job');
    const spec = podSpecOf(job);
    expect(spec.restartPolicy).toBe('Never');
    expect(spec.containers.map((c: any) => c.name)).toEqual(['report']);
    expect(spec.initContainers.map((c: any) => [c.name, c.restartPolicy, c.command])).toEqual([['log-report', 'Always', tailing('/var/log/report/report.log')]]);
    expect(schemaViolations([job], KubernetesVersion.V1_29)).toEqual([]);
    expect(pssViolations([job], PodSecurityLevel.RESTRICTED)).toEqual([]);
    expect(declaredLevel(job)).toBe('restricted');
  });
});

describe('LogSidecar on workloads that run to completion', () => {
  test('fails when a Job gets a regular sidecar (its pods would never complete)', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart, 'Job');
    expect(errorOf(() => new LogSidecar(chart, 'helper', { workload, logDirectory: '/var/log/app', logFiles: ['app.log'] }))).toBe(
      '[test/helper] invalid props:\n  nativeSidecar: received false; expected true when the workload runs to completion (a Job, a CronJob or a Pod whose restartPolicy is not Always): a regular sidecar keeps running after the app exits, so the pod never completes; native sidecars need a target Kubernetes version of 1.29 or later (the target is 1.27)');
  });
});
