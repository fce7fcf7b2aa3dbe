import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { parse } from 'yaml';
import {
  configHashAnnotation,
  HAPROXY_IMAGE,
  haproxyArgs,
  HaproxyBackendProps,
  HaproxyBalance,
  HaproxyMode,
  Hardening,
  isShortName,
  KubernetesVersion,
  PodSecurityLevel,
  ProxyAmbassador,
  ProxyAmbassadorProps,
  ProxyBackend,
  ProxyHealthCheck,
  ProxyKind,
  renderHaproxyConfig,
  renderTwemproxyConfig,
  SharedVolumePod,
  twemproxyArgs,
  TwemproxyBackendProps,
  TwemproxyDistribution,
  TwemproxyHash,
} from '../lib';
import { holdUntilListeningCommand } from '../lib/_pod/lifecycle';
import { checkPodSecurity } from '../lib/_pod/pss';
import { podMetadataOf, podSpecOf } from '../lib/_pod/inject';
import { validateManifest } from '../lib/synth/schema';
import { container, contentHash, manifests, only } from './util/synth';
import { chartFor, HELPER_KIND_CASES, newWorkload, restrictedContext, WorkloadKind } from './util/workloads';

const TWEMPROXY_IMAGE = 'registry.example.com/platform/twemproxy:0.5.0';
const APP_IMAGE = 'redis:7.4.1-alpine';
const SHARDS = ['redis-0.redis.cache.svc.cluster.local:6379', 'redis-1.redis.cache.svc.cluster.local:6379'];

const TWEMPROXY_CONFIG = `ambassador:
  listen: 127.0.0.1:6379
  hash: fnv1a_64
  distribution: ketama
  redis: true
  auto_eject_hosts: false
  server_retry_timeout: 30000
  server_failure_limit: 2
  timeout: 1000
  servers:
    - redis-0.redis.cache.svc.cluster.local:6379:1 shard-1
    - redis-1.redis.cache.svc.cluster.local:6379:1 shard-2
`;

const HAPROXY_TCP_CONFIG = `global
    log stdout format raw local0
    maxconn 256
    nbthread 1

defaults
    mode tcp
    log global
    option tcplog
    option dontlognull
    timeout connect 5000ms
    timeout client 60000ms
    timeout server 60000ms
    retries 3

frontend ambassador
    bind 127.0.0.1:6380
    default_backend upstreams

backend upstreams
    balance first
    default-server inter 5s fall 3 rise 2
    server primary 10.20.0.5:6379 check
    server upstream-2 10.20.0.6:6379 check
`;

type Kind = WorkloadKind;

/** The user's app container. */
function appContainer(port = 8080): kplus.ContainerProps {
  return { name: 'app', image: APP_IMAGE, ports: [{ number: port, name: 'http' }] };
}

/** A user-style workload of each kind, with one app container. */
function workload(chart: Chart, kind: Kind, appPort = 8080): kplus.AbstractPod {
  return newWorkload(chart, kind, 'web', [appContainer(appPort)]);
}

/** twemproxy props: the shared ones (`overrides`) and the backend's own (`options`). */
function twemproxy(w: kplus.AbstractPod, overrides: Partial<ProxyAmbassadorProps> = {}, options: TwemproxyBackendProps = {}): ProxyAmbassadorProps {
  return { workload: w, backend: ProxyBackend.twemproxy(options), image: TWEMPROXY_IMAGE, upstreams: SHARDS, ...overrides };
}

/** HAProxy props: the shared ones (`overrides`) and the backend's own (`options`). */
function haproxy(w: kplus.AbstractPod, overrides: Partial<ProxyAmbassadorProps> = {}, options: HaproxyBackendProps = {}): ProxyAmbassadorProps {
  return { workload: w, backend: ProxyBackend.haproxy(options), listenPort: 6380, upstreams: ['10.20.0.5:6379'], ...overrides };
}

/** The ConfigMap an ambassador created. */
function configMapOf(chart: Chart, a: ProxyAmbassador): any {
  return manifests(chart).find((m) => m.kind === 'ConfigMap' && m.metadata.name === a.configMap.name);
}

describe('ProxyAmbassador', () => {
  describe.each(HELPER_KIND_CASES)('on a %s', (kind, version) => {
    // Jobs and CronJobs complete only with a native sidecar (Kubernetes 1.29+).
    const native = version !== undefined;

    test('adds the proxy with its config mounted read-only and gives the app the local address', () => {
      // GIVEN a user's workload with one app container
      const chart = chartFor(version);
      const w = workload(chart, kind);
      // WHEN a twemproxy ambassador is attached
      const a = new ProxyAmbassador(chart, 'cache', twemproxy(w, { nativeSidecar: native || undefined }));
      // THEN the pod has the proxy next to the app
      const m = only(chart, kind);
      const spec = podSpecOf(m);
      const proxy = container(spec, 'twemproxy');
      expect(proxy.image).toBe(TWEMPROXY_IMAGE);
      expect(proxy.command).toEqual(['nutcracker']);
      expect(proxy.args).toEqual(['--conf-file=/etc/nutcracker/nutcracker.yml', `--stats-addr=${native ? '0.0.0.0' : '127.0.0.1'}`, '--stats-port=22222', '--output=']);
      expect(proxy.ports).toEqual([{ containerPort: 6379, name: 'proxy' }, { containerPort: 22222, name: 'stats' }]);
      expect(proxy.volumeMounts).toEqual([{ mountPath: '/etc/nutcracker', name: 'twemproxy-config', readOnly: true }]);
      expect(proxy.securityContext).toEqual(restrictedContext());
      expect(proxy.resources).toEqual({ limits: { memory: '64Mi' }, requests: { cpu: '10m', memory: '32Mi' } });
      expect(spec.volumes).toEqual([{ name: 'twemproxy-config', configMap: { name: a.configMap.name } }]);
      expect(configMapOf(chart, a).data).toEqual({ 'nutcracker.yml': TWEMPROXY_CONFIG });
      // and the app gets the address, never the upstreams
      expect(container(spec, 'app').env).toEqual([{ name: 'REDIS_ADDR', value: '127.0.0.1:6379' }]);
      if (native) {
        expect(spec.initContainers.map((c: any) => c.name)).toEqual(['twemproxy']);
        expect(proxy.restartPolicy).toBe('Always');
        expect(spec.containers.map((c: any) => c.name)).toEqual(['app']);
      } else {
        // below native sidecars the proxy goes first and its postStart hook holds the app until it listens
        expect(spec.initContainers).toBeUndefined();
        expect(spec.containers.map((c: any) => c.name)).toEqual(['twemproxy', 'app']);
        expect(proxy.lifecycle.postStart).toEqual({ exec: { command: holdUntilListeningCommand('127.0.0.1', 6379) } });
      }
    });

    test('annotates the pod template with the configuration hash', () => {
      const chart = chartFor(version);
      const w = workload(chart, kind);
      const a = new ProxyAmbassador(chart, 'cache', twemproxy(w, { nativeSidecar: native || undefined }));
      const annotations = podMetadataOf(only(chart, kind)).annotations;
      // the SHA-256 of the ConfigMap's content as written (keys sorted, key NUL value NUL)
      expect(annotations[configHashAnnotation('twemproxy')]).toBe(contentHash({ 'nutcracker.yml': a.config }));
    });

    test('renders manifests valid for the target Kubernetes version', () => {
      const chart = chartFor(version);
      const w = workload(chart, kind);
      new ProxyAmbassador(chart, 'cache', twemproxy(w, { nativeSidecar: native || undefined }));
      for (const m of manifests(chart)) expect(validateManifest(m, native ? KubernetesVersion.V1_29 : KubernetesVersion.V1_27)).toEqual([]);
    });
  });

  describe('twemproxy', () => {
    test('generates the nutcracker.yml pool: listen, hash, distribution, redis, ejection, timeouts, servers as host:port:weight name', () => {
      const chart = chartFor();
      const a = new ProxyAmbassador(chart, 'cache', twemproxy(workload(chart, 'Deployment')));
      expect(a.config).toBe(TWEMPROXY_CONFIG);
      expect(parse(a.config)).toEqual({
        ambassador: {
          listen: '127.0.0.1:6379',
          hash: 'fnv1a_64',
          distribution: 'ketama',
          redis: true,
          auto_eject_hosts: false,
          server_retry_timeout: 30000,
          server_failure_limit: 2,
          timeout: 1000,
          servers: ['redis-0.redis.cache.svc.cluster.local:6379:1 shard-1', 'redis-1.redis.cache.svc.cluster.local:6379:1 shard-2'],
        },
      });
    });

    test('takes names, weights, memcached, hash, distribution, ejection and timeouts as props', () => {
      const chart = chartFor();
      const a = new ProxyAmbassador(chart, 'cache', twemproxy(workload(chart, 'Deployment'), {
        upstreams: [{ host: '10.0.0.7', port: 11211, name: 'mc-a', weight: 2 }, { host: 'mc-b.example.net', port: 11212, name: 'mc-b' }, '[fd00::5]:11211'],
        listenPort: 21211,
      }, {
        redis: false,
        hash: TwemproxyHash.MURMUR,
        distribution: TwemproxyDistribution.MODULA,
        autoEjectHosts: true,
        serverRetryTimeout: Duration.seconds(2),
        serverFailureLimit: 1,
        timeout: Duration.millis(400),
        statsPort: 22223,
      }));
      expect(a.config).toBe(`ambassador:
  listen: 127.0.0.1:21211
  hash: murmur
  distribution: modula
  redis: false
  auto_eject_hosts: true
  server_retry_timeout: 2000
  server_failure_limit: 1
  timeout: 400
  servers:
    - 10.0.0.7:11211:2 mc-a
    - mc-b.example.net:11212:1 mc-b
    - fd00::5:11211:1 shard-3
`);
      expect(a.envVar).toBe('MEMCACHED_ADDR');
      expect(a.localAddress).toBe('127.0.0.1:21211');
      expect(container(podSpecOf(only(chart, 'Deployment')), 'twemproxy').args).toEqual([
        '--conf-file=/etc/nutcracker/nutcracker.yml', '--stats-addr=127.0.0.1', '--stats-port=22223', '--output=',
      ]);
    });

    test('GIVEN the options object changed after ProxyBackend.twemproxy() THEN the backend keeps what it was given, and changing the published defaults changes no default', () => {
      const chart = chartFor();
      const options: { -readonly [K in keyof TwemproxyBackendProps]: TwemproxyBackendProps[K] } = { hash: TwemproxyHash.MURMUR };
      const backend = ProxyBackend.twemproxy(options);
      options.hash = TwemproxyHash.MD5;
      const a = new ProxyAmbassador(chart, 'cache', { ...twemproxy(workload(chart, 'Deployment')), backend });
      expect(a.config).toContain('  hash: murmur\n');
      // AND changing the published defaults changes no default
      const published = ProxyBackend.TWEMPROXY_DEFAULTS as any;
      published.hash = TwemproxyHash.MD5;
      try {
        const other = chartFor();
        expect(new ProxyAmbassador(other, 'cache', twemproxy(workload(other, 'Deployment'))).config).toBe(TWEMPROXY_CONFIG);
      } finally {
        published.hash = TwemproxyHash.FNV1A_64;
      }
      // AND what jsii hands to Java, Python and Go is extensible (its runtimes tag the objects; a frozen one fails)
      expect(Object.isExtensible(ProxyBackend.HAPROXY_DEFAULTS)).toBe(true);
      expect(Object.isExtensible(backend._options)).toBe(true);
    });

    test('GIVEN ProxyBackend.TWEMPROXY_DEFAULTS given explicitly THEN the pool is the default one', () => {
      const chart = chartFor();
      const a = new ProxyAmbassador(chart, 'cache', twemproxy(workload(chart, 'Deployment'), {}, ProxyBackend.TWEMPROXY_DEFAULTS));
      expect(a.kind).toBe(ProxyKind.TWEMPROXY);
      expect(a.config).toBe(TWEMPROXY_CONFIG);
      expect(a.listenPort).toBe(ProxyBackend.TWEMPROXY_REDIS_PORT);
    });

    test('defaults the listen port to 11211 and the variable to MEMCACHED_ADDR for memcached', () => {
      const chart = chartFor();
      const a = new ProxyAmbassador(chart, 'cache', twemproxy(workload(chart, 'Deployment'), {}, { redis: false }));
      expect(a.listenPort).toBe(11211);
      expect(ProxyBackend.TWEMPROXY_MEMCACHED_PORT).toBe(11211);
      expect(container(podSpecOf(only(chart, 'Deployment')), 'app').env).toEqual([{ name: 'MEMCACHED_ADDR', value: '127.0.0.1:11211' }]);
    });

    test('exports the same generator the construct uses', () => {
      expect(renderTwemproxyConfig({
        listenAddress: '127.0.0.1', listenPort: 6379, redis: true, hash: TwemproxyHash.FNV1A_64, distribution: TwemproxyDistribution.KETAMA, autoEjectHosts: false,
        serverRetryTimeoutMs: 30000, serverFailureLimit: 2, timeoutMs: 1000,
        upstreams: [{ host: 'redis-0.redis.cache.svc.cluster.local', port: 6379, weight: 1, name: 'shard-1' }, { host: 'redis-1.redis.cache.svc.cluster.local', port: 6379, weight: 1, name: 'shard-2' }],
      })).toBe(TWEMPROXY_CONFIG);
      expect(twemproxyArgs({ configPath: '/tmp/n.yml', statsAddress: '127.0.0.1', statsPort: 30000 })).toEqual(['--conf-file=/tmp/n.yml', '--stats-addr=127.0.0.1', '--stats-port=30000', '--output=']);
    });
  });

  describe('HAProxy', () => {
    test('generates haproxy.cfg for TCP: no daemon, chroot or user; timeouts; loopback frontend; checked servers; failover with balance first', () => {
      const chart = chartFor();
      const a = new ProxyAmbassador(chart, 'redis', haproxy(workload(chart, 'Deployment'), {
        upstreams: [{ host: '10.20.0.5', port: 6379, name: 'primary' }, '10.20.0.6:6379'],
      }, { balance: HaproxyBalance.FIRST }));
      expect(a.config).toBe(HAPROXY_TCP_CONFIG);
      expect(a.config).not.toMatch(/daemon|chroot|^\s*user|^\s*group/m);
    });

    test('GIVEN no backend THEN it is HAProxy with its defaults, the same as ProxyBackend.haproxy() and ProxyBackend.HAPROXY_DEFAULTS', () => {
      const build = (backend?: ProxyBackend) => {
        const chart = chartFor();
        const props = haproxy(workload(chart, 'Deployment'), { upstreams: [{ host: '10.20.0.5', port: 6379, name: 'primary' }, '10.20.0.6:6379'] });
        return new ProxyAmbassador(chart, 'redis', { ...props, backend });
      };
      const a = build(undefined);
      expect(a.kind).toBe(ProxyKind.HAPROXY);
      expect(a.config).toBe(HAPROXY_TCP_CONFIG.replace('balance first', 'balance roundrobin'));
      expect(build(ProxyBackend.haproxy()).config).toBe(a.config);
      expect(build(ProxyBackend.haproxy(ProxyBackend.HAPROXY_DEFAULTS)).config).toBe(a.config);
      // the defaults as documented
      expect(ProxyBackend.HAPROXY_DEFAULTS).toMatchObject({ mode: HaproxyMode.TCP, balance: HaproxyBalance.ROUNDROBIN, maxConnections: 256, healthCheck: ProxyHealthCheck.TCP, upstreamTls: false });
      expect(ProxyBackend.HAPROXY_DEFAULTS.connectTimeout!.toMilliseconds()).toBe(5000);
    });

    test('runs the official image as its haproxy user with the config at /usr/local/etc/haproxy', () => {
      const chart = chartFor();
      const a = new ProxyAmbassador(chart, 'redis', haproxy(workload(chart, 'Deployment')));
      const spec = podSpecOf(only(chart, 'Deployment'));
      const proxy = container(spec, 'haproxy');
      expect(proxy.image).toBe(HAPROXY_IMAGE);
      expect(HAPROXY_IMAGE).toBe('haproxy:3.0.28');
      expect(proxy.command).toEqual(['haproxy']);
      expect(proxy.args).toEqual(['-db', '-f', '/usr/local/etc/haproxy/haproxy.cfg']);
      expect(proxy.args).toEqual(haproxyArgs('/usr/local/etc/haproxy/haproxy.cfg'));
      expect(proxy.ports).toEqual([{ containerPort: 6380, name: 'proxy' }]);
      expect(proxy.volumeMounts).toEqual([{ mountPath: '/usr/local/etc/haproxy', name: 'haproxy-config', readOnly: true }]);
      expect(proxy.securityContext).toEqual({ ...restrictedContext(), runAsUser: 99, runAsGroup: 99 });
      expect(configMapOf(chart, a).data).toEqual({ 'haproxy.cfg': a.config });
      expect(container(spec, 'app').env).toEqual([{ name: 'UPSTREAM_ADDR', value: '127.0.0.1:6380' }]);
    });

    test('generates HTTP mode with TLS to the upstream, a Host header and an HTTP health check', () => {
      const chart = chartFor();
      const a = new ProxyAmbassador(chart, 'api', haproxy(workload(chart, 'Deployment'), {
        listenPort: 8081,
        upstreams: ['api.payments.example.com:443', 'api-eu.payments.example.com:443'],
        envVar: 'PAYMENTS_API_ADDR',
      }, {
        mode: HaproxyMode.HTTP,
        upstreamTls: true,
        hostHeader: 'api.payments.example.com',
        healthCheckPath: '/v1/health',
        connectTimeout: Duration.seconds(2),
        clientTimeout: Duration.seconds(30),
        serverTimeout: Duration.millis(30000),
        maxConnections: 128,
      }));
      expect(a.config).toBe(`global
    log stdout format raw local0
    maxconn 128
    nbthread 1

resolvers dns
    parse-resolv-conf
    resolve_retries 3
    timeout resolve 5s
    timeout retry 1s
    hold valid 10s
    hold nx 30s
    hold timeout 30s
    hold refused 30s
    hold other 30s
    hold obsolete 30s

defaults
    mode http
    log global
    option httplog
    option dontlognull
    timeout connect 2000ms
    timeout client 30000ms
    timeout server 30000ms
    timeout http-request 10s
    retries 3

frontend ambassador
    bind 127.0.0.1:8081
    default_backend upstreams

backend upstreams
    balance roundrobin
    option httpchk
    http-check send meth GET uri /v1/health ver HTTP/1.1 hdr Host api.payments.example.com
    http-check expect status 200-399
    http-request set-header Host api.payments.example.com
    default-server inter 5s fall 3 rise 2 resolvers dns resolve-prefer ipv4 init-addr last,libc,none
    server upstream-1 api.payments.example.com:443 check ssl verify required ca-file @system-ca sni str(api.payments.example.com) verifyhost api.payments.example.com check-sni api.payments.example.com
    server upstream-2 api-eu.payments.example.com:443 check ssl verify required ca-file @system-ca sni str(api-eu.payments.example.com) verifyhost api-eu.payments.example.com check-sni api-eu.payments.example.com
`);
      expect(container(podSpecOf(only(chart, 'Deployment')), 'app').env).toEqual([{ name: 'PAYMENTS_API_ADDR', value: '127.0.0.1:8081' }]);
    });

    test('re-resolves names at runtime through the pod\'s nameservers when resolveAtRuntime is set', () => {
      const chart = chartFor();
      const a = new ProxyAmbassador(chart, 'api', haproxy(workload(chart, 'Deployment'), { upstreams: ['api.example.com:443', '10.20.0.9:443'] }, { resolveAtRuntime: true }));
      expect(a.config).toContain('    nbthread 1\n\nresolvers dns\n    parse-resolv-conf\n    resolve_retries 3\n    timeout resolve 5s\n    timeout retry 1s\n'
        + '    hold valid 10s\n    hold nx 30s\n    hold timeout 30s\n    hold refused 30s\n    hold other 30s\n    hold obsolete 30s\n\ndefaults\n');
      expect(a.config).toContain('    default-server inter 5s fall 3 rise 2 resolvers dns resolve-prefer ipv4 init-addr last,libc,none\n'
        + '    server upstream-1 api.example.com:443 check\n    server upstream-2 10.20.0.9:443 check\n');
    });

    test('GIVEN fully qualified upstream names WHEN resolveAtRuntime is unset THEN names are re-resolved at runtime and a missing one starts down', () => {
      const chart = chartFor();
      const a = new ProxyAmbassador(chart, 'redis', haproxy(workload(chart, 'Deployment'), { upstreams: ['redis-primary.data.svc.cluster.local:6379', 'redis-standby.data.svc.cluster.local.:6379'] }));
      expect(a.config).toContain('\nresolvers dns\n    parse-resolv-conf\n');
      expect(a.config).toContain('    default-server inter 5s fall 3 rise 2 resolvers dns resolve-prefer ipv4 init-addr last,libc,none\n');
    });

    test('GIVEN a short upstream name WHEN resolveAtRuntime is unset THEN names are resolved once at start through the C library, and a missing one still starts down', () => {
      const chart = chartFor();
      const a = new ProxyAmbassador(chart, 'redis', haproxy(workload(chart, 'Deployment'), { upstreams: ['redis-primary:6379', 'redis-standby.data.svc.cluster.local:6379'] }));
      expect(a.config).not.toContain('resolvers');
      expect(a.config).toContain('    default-server inter 5s fall 3 rise 2 init-addr last,libc,none\n');
    });

    test('GIVEN only IP upstreams THEN there is neither a resolvers section nor init-addr', () => {
      const chart = chartFor();
      const a = new ProxyAmbassador(chart, 'redis', haproxy(workload(chart, 'Deployment'), { upstreams: ['10.0.0.5:6379'] }));
      expect(a.config).not.toContain('resolvers');
      expect(a.config).toContain('    default-server inter 5s fall 3 rise 2\n');
    });

    test('tells short names from fully qualified ones', () => {
      expect(['redis', 'localhost', 'redis.data.svc', 'REDIS.Data.SVC'].map(isShortName)).toEqual([true, true, true, true]);
      expect(['redis.data', 'api.example.com', 'redis.data.svc.cluster.local', 'redis.', '10.0.0.5', 'fd00::1'].map(isShortName)).toEqual([false, false, false, false, false, false]);
    });

    test('GIVEN healthCheck REDIS_PRIMARY THEN each server is checked with PING and INFO replication, expecting role:master, every second', () => {
      const chart = chartFor();
      const a = new ProxyAmbassador(chart, 'redis', haproxy(workload(chart, 'Deployment'), { upstreams: ['10.0.0.5:6379', '10.0.0.6:6379'] }, { healthCheck: ProxyHealthCheck.REDIS_PRIMARY }));
      expect(a.config).toContain(`backend upstreams
    balance roundrobin
    option tcp-check
    tcp-check connect
    tcp-check send PING\\r\\n
    tcp-check expect string +PONG
    tcp-check send info\\ replication\\r\\n
    tcp-check expect string role:master
    tcp-check send QUIT\\r\\n
    tcp-check expect string +OK
    default-server inter 1s fall 2 rise 1 on-marked-down shutdown-sessions
    server upstream-1 10.0.0.5:6379 check
    server upstream-2 10.0.0.6:6379 check
`);
    });

    test('defaults the Host header to the upstreams\' common name in HTTP mode', () => {
      const chart = chartFor();
      const a = new ProxyAmbassador(chart, 'api', haproxy(workload(chart, 'Deployment'), { upstreams: ['api.example.com:8443', 'API.example.com:9443'] }, { mode: HaproxyMode.HTTP }));
      expect(a.config).toContain('    http-request set-header Host api.example.com\n');
      const other = chartFor();
      const b = new ProxyAmbassador(other, 'api', haproxy(workload(other, 'Deployment'), { upstreams: ['a.example.com:80', 'b.example.com:80'] }, { mode: HaproxyMode.HTTP }));
      expect(b.config).not.toContain('set-header Host');
    });

    test('exports the same generator the construct uses', () => {
      expect(renderHaproxyConfig({
        mode: HaproxyMode.TCP, bindAddress: '127.0.0.1', listenPort: 6380, balance: HaproxyBalance.FIRST, maxConnections: 256,
        connectTimeoutMs: 5000, clientTimeoutMs: 60000, serverTimeoutMs: 60000, upstreamTls: false,
        upstreams: [{ host: '10.20.0.5', port: 6379, name: 'primary', weight: 1 }, { host: '10.20.0.6', port: 6379, name: 'upstream-2', weight: 1 }],
      })).toBe(HAPROXY_TCP_CONFIG);
    });

    test('renders IPv6 upstreams in brackets', () => {
      const chart = chartFor();
      const a = new ProxyAmbassador(chart, 'redis', haproxy(workload(chart, 'Deployment'), { upstreams: ['[fd00::10]:6379'] }));
      expect(a.config).toContain('    server upstream-1 [fd00::10]:6379 check\n');
    });
  });

  describe('the app container', () => {
    test('is found by name among several containers', () => {
      const chart = chartFor();
      const w = new kplus.Deployment(chart, 'web', { containers: [appContainer(), { name: 'worker', image: APP_IMAGE }] });
      new ProxyAmbassador(chart, 'cache', twemproxy(w, { appContainerName: 'worker', envVar: 'CACHE_ADDR' }));
      const spec = podSpecOf(only(chart, 'Deployment'));
      expect(container(spec, 'worker').env).toEqual([{ name: 'CACHE_ADDR', value: '127.0.0.1:6379' }]);
      expect(container(spec, 'app').env).toBeUndefined();
    });

    test('is taken as a kplus.Container prop', () => {
      const chart = chartFor();
      const w = new kplus.Deployment(chart, 'web', { containers: [appContainer(), { name: 'worker', image: APP_IMAGE }] });
      const a = new ProxyAmbassador(chart, 'cache', twemproxy(w, { app: w.containers[1] }));
      expect(a.appContainerName).toBe(w.containers[1].name);
      expect(container(podSpecOf(only(chart, 'Deployment')), 'worker').env).toEqual([{ name: 'REDIS_ADDR', value: '127.0.0.1:6379' }]);
    });

    test('reaches the proxy on 127.0.0.1 when the proxy binds every interface', () => {
      const chart = chartFor();
      const a = new ProxyAmbassador(chart, 'cache', twemproxy(workload(chart, 'Deployment'), { bindAddress: '0.0.0.0' }));
      expect(a.config).toContain('  listen: 0.0.0.0:6379\n');
      expect(a.localAddress).toBe('127.0.0.1:6379');
    });
  });

  describe('as a native sidecar', () => {
    test.each([KubernetesVersion.V1_29, KubernetesVersion.V1_33] as const)('is an init container with restartPolicy Always, valid on %s and not on 1.27', (version) => {
      const chart = chartFor(version);
      new ProxyAmbassador(chart, 'cache', twemproxy(workload(chart, 'Deployment'), { nativeSidecar: true }));
      const m = only(chart, 'Deployment');
      const spec = podSpecOf(m);
      expect(spec.initContainers.map((c: any) => c.name)).toEqual(['twemproxy']);
      expect(container(spec, 'twemproxy').restartPolicy).toBe('Always');
      expect(validateManifest(m, version)).toEqual([]);
      // the 1.27 schema rejects it: the native-sidecar fields are really emitted
      expect(validateManifest(m, KubernetesVersion.V1_27).map((v) => v.path)).toEqual(expect.arrayContaining([expect.stringMatching(/initContainers\/0\/restartPolicy$/)]));
    });

    test('probes the listen port over TCP when the proxy binds the pod\'s address', () => {
      const chart = chartFor(KubernetesVersion.V1_29);
      new ProxyAmbassador(chart, 'cache', twemproxy(workload(chart, 'Deployment'), { nativeSidecar: true, bindAddress: '0.0.0.0' }));
      const proxy = container(podSpecOf(only(chart, 'Deployment')), 'twemproxy');
      expect(proxy.startupProbe).toEqual({ failureThreshold: 30, periodSeconds: 1, tcpSocket: { port: 6379 }, timeoutSeconds: 1 });
      expect(proxy.args).toContain('--stats-addr=0.0.0.0');
    });

    test('probes twemproxy\'s stats port, bound on every interface, when the proxy binds loopback (the kubelet probes the pod\'s IP)', () => {
      const chart = chartFor(KubernetesVersion.V1_29);
      const a = new ProxyAmbassador(chart, 'cache', twemproxy(workload(chart, 'Deployment'), { nativeSidecar: true }));
      const proxy = container(podSpecOf(only(chart, 'Deployment')), 'twemproxy');
      expect(proxy.startupProbe).toEqual({ failureThreshold: 30, periodSeconds: 1, tcpSocket: { port: 22222 }, timeoutSeconds: 1 });
      expect(proxy.args).toContain('--stats-addr=0.0.0.0');
      expect(a.config).toContain('  listen: 127.0.0.1:6379\n');
    });

    test('probes an HAProxy health frontend on every interface when HAProxy binds loopback', () => {
      const chart = chartFor(KubernetesVersion.V1_29);
      const a = new ProxyAmbassador(chart, 'redis', haproxy(workload(chart, 'Deployment'), { nativeSidecar: true }));
      const proxy = container(podSpecOf(only(chart, 'Deployment')), 'haproxy');
      expect(proxy.startupProbe).toEqual({ failureThreshold: 30, httpGet: { path: '/healthz', port: 8404 }, periodSeconds: 1, timeoutSeconds: 1 });
      expect(proxy.ports).toEqual([{ containerPort: 6380, name: 'proxy' }, { containerPort: 8404, name: 'health' }]);
      expect(a.config).toContain('frontend health\n    mode http\n    bind 0.0.0.0:8404\n    monitor-uri /healthz\n\n');
      expect(a.config).toContain('frontend ambassador\n    bind 127.0.0.1:6380\n');
    });
  });

  test('passes the restricted Pod Security profile with its defaults, on a restricted pod', () => {
    // GIVEN an app pod hardened by SharedVolumePod
    const chart = chartFor();
    const svp = new SharedVolumePod(chart, 'web', {
      containers: [{ name: 'app', image: APP_IMAGE, mountPath: '/data', ports: [{ number: 8080, name: 'http' }] }],
    });
    // WHEN both proxies are attached with their defaults
    new ProxyAmbassador(chart, 'cache', twemproxy(svp.pod));
    new ProxyAmbassador(chart, 'api', haproxy(svp.pod));
    // THEN the whole pod passes restricted and declares it
    const m = only(chart, 'Pod');
    expect(checkPodSecurity(PodSecurityLevel.RESTRICTED, { metadata: m.metadata, spec: m.spec })).toEqual([]);
    expect(m.metadata.annotations['pod-patterns.dev/pod-security']).toBe('restricted');
    for (const x of manifests(chart)) expect(validateManifest(x, KubernetesVersion.V1_27)).toEqual([]);
  });

  test('declares the baseline profile when hardening is NONE', () => {
    const chart = chartFor();
    new ProxyAmbassador(chart, 'cache', twemproxy(workload(chart, 'Deployment'), { hardening: Hardening.NONE }));
    const m = only(chart, 'Deployment');
    expect(m.metadata.annotations['pod-patterns.dev/pod-security']).toBe('baseline');
    expect(container(podSpecOf(m), 'twemproxy').securityContext).toBeUndefined();
  });

  test('fails at synth when the app already declares the listen port, with the pod-wide message', () => {
    // GIVEN an app listening on 6379
    const chart = chartFor();
    const w = workload(chart, 'Deployment', 6379);
    // WHEN twemproxy (6379) is attached
    new ProxyAmbassador(chart, 'cache', twemproxy(w));
    // THEN
    expect(() => Testing.synth(chart)).toThrow(
      'Validation failed with the following errors:\n'
      + '  [test/web] containers[1].ports[0].containerPort: received 6379; expected a port not already bound by container "twemproxy" (TCP); containers of a pod share one network namespace',
    );
  });

  test('fails at synth when two twemproxy ambassadors share the stats port', () => {
    const chart = chartFor();
    const w = workload(chart, 'Deployment');
    new ProxyAmbassador(chart, 'cache', twemproxy(w));
    new ProxyAmbassador(chart, 'sessions', twemproxy(w, { name: 'sessions', listenPort: 6390, envVar: 'SESSIONS_ADDR', upstreams: ['sessions-0.sessions:6379'] }));
    expect(() => Testing.synth(chart)).toThrow(
      'Validation failed with the following errors:\n'
      + '  [test/web] containers[1].ports[1].containerPort: received 22222; expected a port not already bound by container "twemproxy" (TCP); containers of a pod share one network namespace',
    );
  });

  test('renders the same bytes when synthesized twice', () => {
    const chart = chartFor();
    const w = workload(chart, 'Deployment');
    new ProxyAmbassador(chart, 'cache', twemproxy(w));
    new ProxyAmbassador(chart, 'api', haproxy(w, { listenPort: 8081, upstreams: ['api.example.com:443'] }, { mode: HaproxyMode.HTTP, upstreamTls: true }));
    const first = JSON.stringify(Testing.synth(chart));
    expect(JSON.stringify(Testing.synth(chart))).toBe(first);
  });

  describe('fails when', () => {
    const P = '[test/cache] invalid props:\n  ';
    const fails = (props: (w: kplus.AbstractPod) => ProxyAmbassadorProps, message: string, kind: Kind = 'Deployment', version?: KubernetesVersion) => {
      const chart = chartFor(version);
      const w = workload(chart, kind);
      expect(() => new ProxyAmbassador(chart, 'cache', props(w))).toThrow(message);
    };

    test('fails when no upstreams are given', () => {
      fails((w) => twemproxy(w, { upstreams: [] }), `${P}upstreams: received []; expected a non-empty list`);
    });

    test('fails when an upstream host is neither a DNS name nor an IP address', () => {
      fails((w) => twemproxy(w, { upstreams: ['redis_0.cache:6379', { host: '10.0.0.300', port: 6379 }] }),
        `${P}upstreams[0].host: received "redis_0.cache"; expected a DNS name (letters, digits, "-" and ".", labels of at most 63 characters) or an IPv4 or IPv6 address\n`
        + '  upstreams[1].host: received "10.0.0.300"; expected a DNS name (letters, digits, "-" and ".", labels of at most 63 characters) or an IPv4 or IPv6 address');
    });

    test('fails when an upstream is not host:port', () => {
      fails((w) => twemproxy(w, { upstreams: ['redis-0.cache'] }), `${P}upstreams[0]: received "redis-0.cache"; expected "host:port" (IPv6 as "[address]:port") or { host, port }`);
    });

    test('fails when an upstream port is 0 or 70000', () => {
      fails((w) => twemproxy(w, { upstreams: ['redis-0.cache:0', { host: 'redis-1.cache', port: 70000 }] }),
        `${P}upstreams[0].port: received 0; expected an integer port number from 1 to 65535\n`
        + '  upstreams[1].port: received 70000; expected an integer port number from 1 to 65535');
    });

    test('fails when the listen port is 0 or 70000, or below 1024', () => {
      fails((w) => twemproxy(w, { listenPort: 0 }), `${P}listenPort: received 0; expected an integer port number from 1024 to 65535 (the proxy runs as a non-root user, which cannot bind ports below 1024)`);
      fails((w) => twemproxy(w, { listenPort: 70000 }), `${P}listenPort: received 70000; expected an integer port number from 1024 to 65535 (the proxy runs as a non-root user, which cannot bind ports below 1024)`);
      fails((w) => haproxy(w, { listenPort: 80 }), `${P}listenPort: received 80; expected an integer port number from 1024 to 65535 (the proxy runs as a non-root user, which cannot bind ports below 1024)`);
    });

    test('fails when an upstream is listed twice', () => {
      fails((w) => twemproxy(w, { upstreams: ['redis-0.cache:6379', { host: 'REDIS-0.cache.', port: 6379, name: 'other' }] }),
        `${P}upstreams[1]: received {"host":"REDIS-0.cache.","port":6379}; expected an upstream address not listed twice`);
    });

    test('fails when two upstreams have the same name', () => {
      fails((w) => twemproxy(w, { upstreams: [{ host: 'a.cache', port: 6379, name: 'main' }, { host: 'b.cache', port: 6379, name: 'main' }] }),
        `${P}upstreams[1].name: received "main"; expected a server name not used by another upstream`);
    });

    test('fails when the environment variable name is not valid', () => {
      fails((w) => twemproxy(w, { envVar: '1REDIS ADDR' }), `${P}envVar: received "1REDIS ADDR"; expected a C identifier-like environment variable name: letters, digits, "_", "-" or ".", not starting with a digit`);
    });

    test('fails when the app container already sets the environment variable', () => {
      const chart = chartFor();
      const w = new kplus.Deployment(chart, 'web', { containers: [{ ...appContainer(), envVariables: { REDIS_ADDR: kplus.EnvValue.fromValue('redis:6379') } }] });
      expect(() => new ProxyAmbassador(chart, 'cache', twemproxy(w))).toThrow(`${P}envVar: received "REDIS_ADDR"; expected a variable the app container "app" does not already set`);
    });

    test('fails when nativeSidecar is set and the target is Kubernetes 1.27', () => {
      fails((w) => twemproxy(w, { nativeSidecar: true }),
        `${P}nativeSidecar: received true; expected false, or a target Kubernetes version of 1.29 or later (the target is 1.27; native sidecars are alpha and off by default in 1.28 and absent before): call setKubernetesVersion(app or chart, KubernetesVersion.V1_29) before adding charts`);
    });

    test.each<Kind>(['Job', 'CronJob'])('fails when a %s gets a regular sidecar (its pods would never complete)', (kind) => {
      fails((w) => twemproxy(w),
        `${P}nativeSidecar: received false; expected true when the workload runs to completion (a Job, a CronJob or a Pod whose restartPolicy is not Always): a regular sidecar keeps running after the app exits, so the pod never completes; native sidecars need a target Kubernetes version of 1.29 or later (the target is 1.27)`,
        kind);
    });

    test('fails when a twemproxy ambassador has no image', () => {
      fails((w) => twemproxy(w, { image: undefined }),
        `${P}image: received undefined; expected a pinned twemproxy (nutcracker) image: no trustworthy public one exists, build one (e.g. debian:12.8-slim with the nutcracker package) and give it here`);
    });

    test('fails when the image is not pinned', () => {
      fails((w) => haproxy(w, { image: 'haproxy:latest' }), `${P}image: received "haproxy:latest"; expected a pinned image: a tag other than "latest" (e.g. "nginx:1.27.5") or a digest ("@sha256:...")`);
    });

    test('fails when an HAProxy ambassador has no listen port', () => {
      fails((w) => haproxy(w, { listenPort: undefined }),
        `${P}listenPort: received undefined; expected an integer port number from 1024 to 65535 (the proxy runs as a non-root user, which cannot bind ports below 1024): the port the app connects to`);
    });

    test('fails when an HAProxy upstream has a weight (only twemproxy weighs servers)', () => {
      fails((w) => haproxy(w, { upstreams: [{ host: 'a.example', port: 1, weight: 3 }] }),
        `${P}upstreams[0].weight: received 3; expected unset unless backend is ProxyBackend.twemproxy() (HAProxy has no weights here)`);
    });

    test('fails when an untyped caller passes the removed flat props, naming what to write instead', () => {
      // GIVEN the props of before `backend`, as JavaScript could still pass them
      const old: any = { kind: 'twemproxy', hash: 'md5', timeoutMs: 400, mode: 'http', connectTimeoutMs: 2000, healthCheck: 'redis-primary', statsPort: 22223 };
      // THEN every one is named, before any other check, with its replacement
      fails((w) => ({ ...twemproxy(w), ...old }), `${P}kind: received "twemproxy"; expected no such prop (the flat proxy props were removed): choose the proxy with backend: ProxyBackend.twemproxy({...})\n`
        + '  hash: received "md5"; expected no such prop (the flat proxy props were removed): use backend: ProxyBackend.twemproxy({ hash: TwemproxyHash.MD5 })\n'
        + '  timeoutMs: received 400; expected no such prop (the flat proxy props were removed): use backend: ProxyBackend.twemproxy({ timeout: Duration.millis(400) })\n'
        + '  statsPort: received 22223; expected no such prop (the flat proxy props were removed): use backend: ProxyBackend.twemproxy({ statsPort: 22223 })\n'
        + '  mode: received "http"; expected no such prop (the flat proxy props were removed): use backend: ProxyBackend.haproxy({ mode: HaproxyMode.HTTP })\n'
        + '  connectTimeoutMs: received 2000; expected no such prop (the flat proxy props were removed): use backend: ProxyBackend.haproxy({ connectTimeout: Duration.millis(2000) })\n'
        + '  healthCheck: received "redis-primary"; expected no such prop (the flat proxy props were removed): use backend: ProxyBackend.haproxy({ healthCheck: ProxyHealthCheck.REDIS_PRIMARY })');
      fails((w) => ({ ...haproxy(w), kind: 'haproxy' } as any),
        `${P}kind: received "haproxy"; expected no such prop (the flat proxy props were removed): choose the proxy with backend: ProxyBackend.haproxy({...}) (the default)`);
    });

    test('fails when the backend is not a ProxyBackend, or its options have the wrong types (untyped callers)', () => {
      fails((w) => ({ ...haproxy(w), backend: { kind: 'haproxy' } as any }),
        `${P}backend: received {"kind":"haproxy"}; expected a ProxyBackend (ProxyBackend.haproxy({...}) or ProxyBackend.twemproxy({...}))`);
      fails((w) => haproxy(w, {}, { mode: 7, connectTimeout: 5000, upstreamTls: 'yes' } as any),
        `${P}backend.mode: received 7; expected a string\n`
        + '  backend.connectTimeout: received 5000; expected a Duration (e.g. Duration.millis(1000) or Duration.seconds(5))\n'
        + '  backend.upstreamTls: received "yes"; expected a boolean (true or false)');
      fails((w) => twemproxy(w, {}, 'fast' as any), `${P}backend: received "fast"; expected ProxyBackend.twemproxy() given an object of options, or nothing`);
    });

    test('fails when a backend is given an option of the other backend, or one neither has (untyped callers)', () => {
      fails((w) => twemproxy(w, {}, { mode: 'http', weights: [1] } as any),
        `${P}backend.mode: received "http"; expected unset: an option of ProxyBackend.haproxy(), not of ProxyBackend.twemproxy()\n`
        + '  backend.weights: received [1]; expected unset: ProxyBackend.twemproxy() has no such option (it has redis, hash, distribution, autoEjectHosts, serverRetryTimeout, serverFailureLimit, timeout, statsPort)');
      fails((w) => haproxy(w, {}, { hash: 'md5' } as any), `${P}backend.hash: received "md5"; expected unset: an option of ProxyBackend.twemproxy(), not of ProxyBackend.haproxy()`);
    });

    test('fails when the hash, distribution, mode or balance is unknown (untyped callers)', () => {
      fails((w) => twemproxy(w, {}, { hash: 'sha1' as TwemproxyHash, distribution: 'rendezvous' as TwemproxyDistribution }),
        `${P}backend.hash: received "sha1"; expected one of "one_at_a_time", "md5", "crc16", "crc32", "crc32a", "fnv1_64", "fnv1a_64", "fnv1_32", "fnv1a_32", "hsieh", "murmur", "jenkins"\n`
        + '  backend.distribution: received "rendezvous"; expected one of "ketama", "modula", "random"');
      fails((w) => haproxy(w, {}, { mode: 'udp' as HaproxyMode, balance: 'source' as HaproxyBalance }),
        `${P}backend.mode: received "udp"; expected one of "tcp", "http"\n  backend.balance: received "source"; expected one of "roundrobin", "leastconn", "first"`);
    });

    test('GIVEN an untyped caller passing the enums\' strings THEN the proxy is configured as with the enums', () => {
      const chart = chartFor();
      const a = new ProxyAmbassador(chart, 'cache', haproxy(workload(chart, 'Deployment'), {}, { mode: 'tcp', balance: 'first' } as any));
      expect(a.config).toContain('    mode tcp\n');
      expect(a.config).toContain('    balance first\n');
    });

    test('fails when a timeout is not a whole number of milliseconds from 1 ms', () => {
      fails((w) => haproxy(w, {}, { connectTimeout: Duration.millis(0), serverTimeout: Duration.millis(2.5), clientTimeout: Duration.days(30) }),
        `${P}backend.connectTimeout: received "0 ms"; expected a Duration of whole milliseconds from 1 ms to 2147483647 ms (e.g. Duration.millis(1000))\n`
        + '  backend.clientTimeout: received "2592000000 ms"; expected a Duration of whole milliseconds from 1 ms to 2147483647 ms (e.g. Duration.millis(1000))\n'
        + '  backend.serverTimeout: received "2.5 ms"; expected a Duration of whole milliseconds from 1 ms to 2147483647 ms (e.g. Duration.millis(1000))');
      fails((w) => twemproxy(w, {}, { timeout: Duration.millis(0), serverRetryTimeout: Duration.millis(0.5), serverFailureLimit: 0 }),
        `${P}backend.serverRetryTimeout: received "0.5 ms"; expected a Duration of whole milliseconds from 1 ms to 2147483647 ms (e.g. Duration.millis(1000))\n`
        + '  backend.serverFailureLimit: received 0; expected a whole number from 1 to 1000\n'
        + '  backend.timeout: received "0 ms"; expected a Duration of whole milliseconds from 1 ms to 2147483647 ms (e.g. Duration.millis(1000))');
    });

    test('fails when the bind address is not an IPv4 address', () => {
      fails((w) => twemproxy(w, { bindAddress: 'localhost' }),
        `${P}bindAddress: received "localhost"; expected an IPv4 address to bind in the pod, e.g. "127.0.0.1" (only the pod's containers) or "0.0.0.0" (every interface)`);
    });

    test('fails when the stats port is the listen port', () => {
      fails((w) => twemproxy(w, {}, { statsPort: 6379 }), `${P}backend.statsPort: received 6379; expected a port other than listenPort (6379)`);
    });

    test('fails when TLS is asked for upstreams given by address', () => {
      fails((w) => haproxy(w, { upstreams: ['10.20.0.5:443', 'api.example.com:443'] }, { upstreamTls: true }),
        `${P}backend.upstreamTls: received true; expected false, or upstreams named by DNS names: the certificate is verified against the name ("10.20.0.5" is an address)`);
    });

    test('fails when runtime resolution is asked for IP upstreams only', () => {
      fails((w) => haproxy(w, {}, { resolveAtRuntime: true }), `${P}backend.resolveAtRuntime: received true; expected false when every upstream is an IP address (there is no name to resolve)`);
    });

    test('fails when resolveAtRuntime is true and an upstream has a short name (HAProxy\'s resolver has no search domains)', () => {
      fails((w) => haproxy(w, { upstreams: ['redis-primary:6379', 'redis-standby.data.svc:6379', 'api.example.com:443'] }, { resolveAtRuntime: true }),
        `${P}backend.resolveAtRuntime: received true; expected false, or fully qualified upstream names (e.g. "<service>.<namespace>.svc.cluster.local"): HAProxy's runtime resolver does not apply the pod's DNS search domains, so "redis-primary", "redis-standby.data.svc" would never resolve`);
    });

    test('fails when healthCheck is unknown, or REDIS_PRIMARY in HTTP mode', () => {
      fails((w) => haproxy(w, {}, { healthCheck: 'mysql' as ProxyHealthCheck }), `${P}backend.healthCheck: received "mysql"; expected one of "tcp", "redis-primary"`);
      fails((w) => haproxy(w, {}, { mode: HaproxyMode.HTTP, healthCheck: ProxyHealthCheck.REDIS_PRIMARY }),
        `${P}backend.healthCheck: received "redis-primary"; expected unset or "tcp" unless mode is "tcp" (HTTP mode checks with healthCheckPath)`);
    });

    test('fails when HTTP-only props are given in TCP mode', () => {
      fails((w) => haproxy(w, {}, { hostHeader: 'api.example.com', healthCheckPath: '/health' }),
        `${P}backend.hostHeader: received "api.example.com"; expected unset unless mode is "http"\n  backend.healthCheckPath: received "/health"; expected unset unless mode is "http"`);
    });

    test('fails when healthPort is given without a loopback native sidecar', () => {
      fails((w) => haproxy(w, {}, { healthPort: 9000 }),
        `${P}backend.healthPort: received 9000; expected unset unless nativeSidecar is true and bindAddress is a loopback address (the kubelet's startup probe cannot reach loopback, so it probes this port instead)`);
    });

    test('fails when the app container is ambiguous or unknown', () => {
      const chart = chartFor();
      const w = new kplus.Deployment(chart, 'web', { containers: [appContainer(), { name: 'worker', image: APP_IMAGE }] });
      expect(() => new ProxyAmbassador(chart, 'cache', twemproxy(w))).toThrow(
        `${P}appContainer: received undefined; expected the app container (or appContainerName); the workload has several containers ("app", "worker"): name one`);
      expect(() => new ProxyAmbassador(chart, 'cache2', twemproxy(w, { appContainerName: 'api' }))).toThrow(
        '[test/cache2] invalid props:\n  appContainerName: received "api"; expected the name of a container of the workload (it has "app", "worker")');
    });

    test('fails when the proxy container name is taken', () => {
      fails((w) => twemproxy(w, { name: 'app' }), `${P}name: received "app"; expected a container name not used by another container of the workload`);
    });

    test('reports every problem at once', () => {
      fails((w) => twemproxy(w, { upstreams: ['bad_host:6379'], listenPort: 70000, envVar: '9X' }),
        `${P}upstreams[0].host: received "bad_host"; expected a DNS name (letters, digits, "-" and ".", labels of at most 63 characters) or an IPv4 or IPv6 address\n`
        + '  listenPort: received 70000; expected an integer port number from 1024 to 65535 (the proxy runs as a non-root user, which cannot bind ports below 1024)\n'
        + '  envVar: received "9X"; expected a C identifier-like environment variable name: letters, digits, "_", "-" or ".", not starting with a digit');
    });
  });
});
