/**
 * The adapter's generated nginx config and exporter command line, run through the real programs:
 * Debian's nginx serves the generated stub_status server block, Debian's
 * prometheus-nginx-exporter (0.11.0, the version the image is pinned to) runs with the args of the
 * synthesized example chart, and its /metrics must carry nginx's metrics.
 *
 * What is substituted, and only that: the stub_status port 8081 (in the server block and the
 * scrape URI) and the listen address `:9113` (all interfaces) become free ports on 127.0.0.1.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { DEFAULT_STUB_STATUS_PORT, NGINX_EXPORTER_PORT, nginxStubStatusServerBlock } from '../../lib/adapter';
import { AdapterChart, STUB_STATUS_CONF } from '../../lib/charts/adapter-chart';
import { podSpecOf } from '../../lib/_pod/inject';
import { accepts, freePort, requireProgram, Running, sleep, start, stop } from './util';

const EXPORTER = '/usr/bin/prometheus-nginx-exporter';

/** GET a URL with a short timeout; undefined when nothing answers. */
async function get(url: string): Promise<{ status: number; body: string } | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return { status: res.status, body: await res.text() };
  } catch {
    return undefined;
  }
}

/** Polls until `probe` returns a value, at most `attempts` times, `intervalMs` apart. */
async function poll<T>(what: string, attempts: number, intervalMs: number, probe: () => Promise<T | undefined>, logs: () => string): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await sleep(intervalMs);
  }
  throw new Error(`${what}: no answer after ${attempts} attempts ${intervalMs} ms apart\n${logs()}`);
}

/** Replaces `from` by `to` in `s`, failing unless it occurs exactly once (the substitution stays visible). */
function substituteOnce(s: string, from: string, to: string): string {
  const n = s.split(from).length - 1;
  if (n !== 1) throw new Error(`expected ${JSON.stringify(from)} exactly once in ${JSON.stringify(s)}, found ${n}`);
  return s.replace(from, to);
}

describe('Adapter (nginx stub_status + prometheus-nginx-exporter, real programs)', () => {
  let dir: string;
  let nginx: Running | undefined;
  let exporter: Running | undefined;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adapter-itest-'));
  });

  afterEach(async () => {
    await stop(exporter);
    await stop(nginx);
    exporter = undefined;
    nginx = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('serves nginx_up 1 and nginx_connections_active from the generated server block and exporter args', async () => {
    // GIVEN the programs
    const nginxBin = requireProgram(['/usr/sbin/nginx', '/usr/bin/nginx'], 'nginx');
    const exporterBin = requireProgram([EXPORTER], 'prometheus-nginx-exporter');

    // and the example chart's ConfigMap file and exporter args, as synthesized
    const manifests = Testing.synth(new AdapterChart(Testing.app(), 'adapter'));
    const configMap = manifests.find((m) => m.kind === 'ConfigMap');
    const conf: string = configMap.data[STUB_STATUS_CONF];
    expect(conf).toBe(nginxStubStatusServerBlock({ port: DEFAULT_STUB_STATUS_PORT }));
    const spec = podSpecOf(manifests.find((m) => m.kind === 'Deployment'));
    // the preset mounted it (no ConfigMap of the user's) as one file of conf.d, which the image includes inside http {}
    const mount = spec.containers.find((c: any) => c.name === 'nginx').volumeMounts.find((m: any) => m.subPath === STUB_STATUS_CONF);
    expect(mount.mountPath).toBe(`/etc/nginx/conf.d/${STUB_STATUS_CONF}`);
    expect(spec.volumes.find((v: any) => v.name === mount.name).configMap.name).toBe(configMap.metadata.name);
    const generatedArgs: string[] = spec.containers.find((c: any) => c.name === 'nginx-exporter').args;

    // with the two ports moved to free loopback ports (and nothing else changed)
    const statusPort = await freePort();
    const metricsPort = await freePort();
    const serverBlock = substituteOnce(conf, `listen 127.0.0.1:${DEFAULT_STUB_STATUS_PORT};`, `listen 127.0.0.1:${statusPort};`);
    const args = substituteOnce(
      substituteOnce(generatedArgs.join('\n'), `http://127.0.0.1:${DEFAULT_STUB_STATUS_PORT}/`, `http://127.0.0.1:${statusPort}/`),
      `-web.listen-address=:${NGINX_EXPORTER_PORT}\n`, `-web.listen-address=127.0.0.1:${metricsPort}\n`,
    ).split('\n');
    expect(args).toEqual([
      `-nginx.scrape-uri=http://127.0.0.1:${statusPort}/stub_status`,
      '-nginx.retries=30',
      '-nginx.retry-interval=1s',
      `-web.listen-address=127.0.0.1:${metricsPort}`,
      '-web.telemetry-path=/metrics',
    ]);

    // a minimal nginx whose only server is the generated block, every path in the temp dir
    fs.mkdirSync(path.join(dir, 'conf.d'));
    fs.writeFileSync(path.join(dir, 'conf.d', STUB_STATUS_CONF), serverBlock);
    const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `    ${t}_temp_path ${path.join(dir, `${t}_temp`)};`).join('\n');
    fs.writeFileSync(path.join(dir, 'nginx.conf'), [
      'worker_processes 1;',
      `pid ${path.join(dir, 'nginx.pid')};`,
      'error_log stderr notice;',
      'events { worker_connections 64; }',
      'http {',
      '    access_log off;',
      temp,
      `    include ${path.join(dir, 'conf.d')}/*.conf;`,
      '}',
      '',
    ].join('\n'));

    // WHEN the exporter starts first, as a sidecar may: it retries and does not listen yet
    exporter = start(exporterBin, args);
    await sleep(1500);
    expect(exporter.proc.exitCode).toBeNull();
    expect(await accepts(metricsPort)).toBe(false);

    // and nginx starts
    nginx = start(nginxBin, ['-e', 'stderr', '-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;']);
    const status = await poll('nginx stub_status', 40, 250, async () => {
      const r = await get(`http://127.0.0.1:${statusPort}/stub_status`);
      return r?.status === 200 ? r : undefined;
    }, () => nginx!.output());
    expect(status.body).toMatch(/^Active connections: \d+ \n/);
    // only the stub_status location answers
    expect((await get(`http://127.0.0.1:${statusPort}/`))?.status).toBe(404);

    // THEN the exporter serves nginx's metrics in Prometheus format
    const metrics = await poll('exporter /metrics', 30, 500, async () => {
      const r = await get(`http://127.0.0.1:${metricsPort}/metrics`);
      return r?.status === 200 && /^nginx_up 1$/m.test(r.body) ? r.body : undefined;
    }, () => `${exporter!.output()}\n${nginx!.output()}`);
    expect(metrics).toMatch(/^nginx_up 1$/m);
    expect(metrics).toMatch(/^nginx_connections_active \d+$/m);
    expect(metrics).toMatch(/^nginx_http_requests_total \d+$/m);
  });

  test('negative control: without the stub_status server block (what the preset did not add before), the exporter exits after its retries', async () => {
    const nginxBin = requireProgram(['/usr/sbin/nginx', '/usr/bin/nginx'], 'nginx');
    const exporterBin = requireProgram([EXPORTER], 'prometheus-nginx-exporter');
    const manifests = Testing.synth(new AdapterChart(Testing.app(), 'adapter'));
    const spec = podSpecOf(manifests.find((m) => m.kind === 'Deployment'));
    const generatedArgs: string[] = spec.containers.find((c: any) => c.name === 'nginx-exporter').args;
    const statusPort = await freePort();
    const metricsPort = await freePort();
    // the same args, with 2 retries instead of 30 to keep the test short
    const args = substituteOnce(substituteOnce(substituteOnce(generatedArgs.join('\n'),
      `http://127.0.0.1:${DEFAULT_STUB_STATUS_PORT}/`, `http://127.0.0.1:${statusPort}/`),
    `-web.listen-address=:${NGINX_EXPORTER_PORT}\n`, `-web.listen-address=127.0.0.1:${metricsPort}\n`),
    '-nginx.retries=30', '-nginx.retries=2').split('\n');
    // an nginx whose conf.d is empty: its only server is the site, no stub_status
    fs.mkdirSync(path.join(dir, 'conf.d'));
    fs.writeFileSync(path.join(dir, 'nginx.conf'), [
      'worker_processes 1;',
      `pid ${path.join(dir, 'nginx.pid')};`,
      'error_log stderr notice;',
      'events { worker_connections 64; }',
      'http {',
      '    access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `    ${t}_temp_path ${path.join(dir, `${t}_temp`)};`),
      `    include ${path.join(dir, 'conf.d')}/*.conf;`,
      '}',
      '',
    ].join('\n'));
    nginx = start(nginxBin, ['-e', 'stderr', '-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;']);
    exporter = start(exporterBin, args);
    const code = await new Promise<number | null>((resolve) => exporter!.proc.once('exit', (c) => resolve(c)));
    expect(code).not.toBe(0);
    expect(await accepts(metricsPort)).toBe(false);
  });
});
