import * as path from 'path';
import { ApiObject, Chart, Include, Size, Testing } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import * as kplus28 from 'cdk8s-plus-28';
import * as kplus33 from 'cdk8s-plus-33';
import * as k8s from '../imports/k8s';
import {
  HeaderDirection, HeaderRule, HTTP_ADAPTER_IMAGE, httpAdapterConfigHashAnnotation, HttpCompatAdapter, HttpCompatAdapterProps,
  HttpMethod, JsonRule, KubernetesVersion, PodSecurityLevel, setKubernetesVersion, UnmatchedRequests, UrlAction, UrlRule,
} from '../lib';
import { containerJson, volumeJson } from '../lib/_pod/inject';
import { checkPodSecurity } from '../lib/_pod/pss';
import { patternPart, podMetadataOf, podSpecOf } from '../lib/_pod/inject';
import { container, contentHash, errorOf, manifests, only } from './util/synth';
import { newWorkload, WorkloadKind } from './util/workloads';

const APP_IMAGE = 'example.com/shop/api:2.0.0';
/** A YAML Service (http aimed at 9080, a named metrics port, 9080 over UDP), brought in with Include. */
const SERVICE_YAML = path.join(__dirname, 'fixtures', 'workloads', 'service.yaml');

/** A chart with the user's v2 app: one container, no declared port (it listens on 127.0.0.1:9080). */
function setup(kind: WorkloadKind = 'Deployment', version?: KubernetesVersion) {
  const app = Testing.app();
  const chart = new Chart(app, 'chart');
  if (version) setKubernetesVersion(chart, version);
  const workload = newWorkload(chart, kind, 'api', [{ name: 'api', image: APP_IMAGE }]);
  return { chart, workload };
}

const adapt = (chart: Chart, workload: IConstruct, props: Partial<HttpCompatAdapterProps> = {}) =>
  new HttpCompatAdapter(chart, 'compat', { workload, port: 8080, appPort: 9080, ...props });

const E = '[chart/compat] invalid props:\n  ';

describe('HttpCompatAdapter: the pod', () => {
  test('GIVEN a Deployment WHEN the adapter attaches THEN nginx runs restricted on port 8080 with its ConfigMap and an emptyDir at /tmp', () => {
    const { chart, workload } = setup();
    const a = adapt(chart, workload);
    const deployment = only(chart, 'Deployment');
    const spec = podSpecOf(deployment);
    const c = container(spec, 'http-adapter');
    expect(c.image).toBe(HTTP_ADAPTER_IMAGE);
    expect(c.command).toEqual(['nginx', '-e', 'stderr', '-c', '/etc/nginx/http-adapter/nginx.conf']);
    expect(c.ports).toEqual([{ containerPort: 8080, name: 'http', protocol: 'TCP' }]);
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true,
      runAsGroup: 101, runAsNonRoot: true, runAsUser: 101, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.volumeMounts).toEqual([
      { mountPath: '/etc/nginx/http-adapter', name: 'http-adapter-config', readOnly: true },
      { mountPath: '/tmp', name: 'http-adapter-tmp' },
    ]);
    const cm = only(chart, 'ConfigMap');
    expect(spec.volumes).toEqual(expect.arrayContaining([
      { name: 'http-adapter-config', configMap: { name: cm.metadata.name } },
      { name: 'http-adapter-tmp', emptyDir: { sizeLimit: '16Mi' } },
    ]));
    expect(Object.keys(cm.data).sort()).toEqual(['http-adapter.js', 'nginx.conf']);
    expect(cm.data['nginx.conf']).toBe(a.nginxConfig);
    expect(cm.metadata.labels['app.kubernetes.io/component']).toBe('adapter');
    // what the construct exposes is what is written
    expect(c).toEqual(containerJson(a.sidecar));
    expect(spec.volumes.slice(-2)).toEqual(a.volumes.map(volumeJson));
    expect(a.appContainerName).toBe('api');
    // the adapter container alone passes the restricted profile
    expect(checkPodSecurity(PodSecurityLevel.RESTRICTED, patternPart(deployment, ['http-adapter']))).toEqual([]);
  });

  test('GIVEN an adapter WHEN its ConfigMap is edited after construction THEN configHash and annotations are what the pod template gets', () => {
    const { chart, workload } = setup();
    const a = adapt(chart, workload);
    const before = a.configHash;
    a.configMap.addData('extra.conf', '# added later');
    const written = podMetadataOf(only(chart, 'Deployment')).annotations;
    expect(a.configHash).not.toBe(before);
    expect(a.configHash).toBe(written[httpAdapterConfigHashAnnotation('http-adapter')]);
    expect(a.annotations).toEqual({ [httpAdapterConfigHashAnnotation('http-adapter')]: written[httpAdapterConfigHashAnnotation('http-adapter')] });
  });

  test('GIVEN the configuration WHEN a rule changes THEN the pod template hash changes (pods roll)', () => {
    const hashOf = (rules: UrlRule[]) => {
      const { chart, workload } = setup();
      const a = adapt(chart, workload, { rules });
      const annotation = podMetadataOf(only(chart, 'Deployment')).annotations[httpAdapterConfigHashAnnotation('http-adapter')];
      expect(annotation).toBe(contentHash({ 'http-adapter.js': a.njsModule, 'nginx.conf': a.nginxConfig }));
      return annotation;
    };
    const one = hashOf([UrlRule.prefix('/v1/users', '/v2/people')]);
    expect(hashOf([UrlRule.prefix('/v1/users', '/v2/people')])).toBe(one);
    expect(hashOf([UrlRule.prefix('/v1/users', '/v2/persons')])).not.toBe(one);
  });

  test('GIVEN a Service targeting the app\'s port WHEN the adapter attaches THEN that port targets the adapter; others stay', () => {
    const { chart, workload } = setup();
    const service = new kplus.Service(chart, 'svc', {
      selector: workload as kplus.Deployment,
      ports: [{ name: 'http', port: 80, targetPort: 9080 }, { name: 'admin', port: 9900, targetPort: 9900 }],
    });
    adapt(chart, workload, { service });
    expect(only(chart, 'Service').spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 8080 },
      { name: 'admin', port: 9900, targetPort: 9900 },
    ]);
  });

  test('GIVEN a Service port with no targetPort of its own on appPort THEN it gets targetPort = port', () => {
    const { chart, workload } = setup();
    const service = new kplus.Service(chart, 'svc', { selector: workload as kplus.Deployment, ports: [{ name: 'http', port: 9080 }] });
    adapt(chart, workload, { service });
    expect(only(chart, 'Service').spec.ports).toEqual([{ name: 'http', port: 9080, targetPort: 8080 }]);
  });

  test('GIVEN a Service already targeting the port clients use THEN it is left as it is (the adapter took that port over)', () => {
    const { chart, workload } = setup();
    const service = new kplus.Service(chart, 'svc', { selector: workload as kplus.Deployment, ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
    adapt(chart, workload, { service });
    expect(only(chart, 'Service').spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 8080 }]);
  });

  test.each<[WorkloadKind, KubernetesVersion | undefined]>([['Pod', undefined], ['StatefulSet', undefined], ['DaemonSet', undefined], ['Job', KubernetesVersion.V1_29], ['CronJob', KubernetesVersion.V1_29]])(
    'GIVEN a %s WHEN attached (native sidecar where the pod completes) THEN the adapter is in the pod spec',
    (kind, version) => {
      const { chart, workload } = setup(kind, version);
      adapt(chart, workload, { nativeSidecar: version !== undefined });
      const m = manifests(chart).find((x) => x.kind === kind);
      const spec = podSpecOf(m);
      const c = container(spec, 'http-adapter');
      if (version) {
        expect(spec.initContainers.map((x: any) => x.name)).toEqual(['http-adapter']);
        expect(c.restartPolicy).toBe('Always');
        expect(c.startupProbe).toEqual({ tcpSocket: { port: 8080 }, periodSeconds: 1, failureThreshold: 30, timeoutSeconds: 1 });
      } else {
        expect(spec.containers.map((x: any) => x.name)).toEqual(['api', 'http-adapter']);
      }
    },
  );
});

describe('HttpCompatAdapter: the Service, from any library', () => {
  /** The ports every Service case has: one aimed at the app, one at a named port, the app's number over UDP. */
  const PORTS = [{ name: 'http', port: 80, targetPort: 9080 }, { name: 'metrics', port: 9113, targetPort: 'metrics' }, { name: 'dns', port: 9080, protocol: 'UDP' }];
  const RETARGETED = [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'metrics', port: 9113, targetPort: 'metrics' }, { name: 'dns', port: 9080, protocol: 'UDP' }];
  const SERVICES: Array<[string, (chart: Chart) => IConstruct]> = [
    ['a cdk8s-plus-28 Service', (chart) => new kplus28.Service(chart, 'svc', { ports: [{ name: 'http', port: 80, targetPort: 9080 }] })],
    ['a cdk8s-plus-33 Service', (chart) => new kplus33.Service(chart, 'svc', { ports: [{ name: 'http', port: 80, targetPort: 9080 }] })],
    ['an L1 KubeService', (chart) => new k8s.KubeService(chart, 'svc', {
      spec: { ports: PORTS.map((p) => ({ ...p, targetPort: p.targetPort === undefined ? undefined : typeof p.targetPort === 'number' ? k8s.IntOrString.fromNumber(p.targetPort) : k8s.IntOrString.fromString(p.targetPort) })) },
    })],
    ['an Include of a Service', (chart) => new Include(chart, 'svc', { url: SERVICE_YAML })],
    ['the Service object of an Include', (chart) => new Include(chart, 'svc', { url: SERVICE_YAML }).node.children.find((c) => ApiObject.isApiObject(c))!],
  ];

  test.each(SERVICES)('GIVEN %s aimed at appPort WHEN the adapter attaches THEN its TCP ports aimed at the app target the adapter; the others stay', (title, make) => {
    const { chart, workload } = setup();
    const service = make(chart);
    adapt(chart, workload, { service });
    const ports = only(chart, 'Service').spec.ports;
    expect(ports).toEqual(title.includes('cdk8s-plus') ? [RETARGETED[0]] : RETARGETED);
  });

  test('GIVEN a Service whose port names the adapter\'s port THEN it is accepted and left as it is', () => {
    const { chart, workload } = setup();
    const service = new k8s.KubeService(chart, 'svc', { spec: { ports: [{ name: 'http', port: 80, targetPort: k8s.IntOrString.fromString('http') }] } });
    adapt(chart, workload, { service });
    expect(only(chart, 'Service').spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http' }]);
  });

  test('GIVEN a Service WHEN nothing attaches THEN it renders as its library wrote it (negative control of the retarget)', () => {
    const { chart } = setup();
    new Include(chart, 'svc', { url: SERVICE_YAML });
    expect(only(chart, 'Service').spec.ports).toEqual(PORTS);
  });

  test('fails when the service is not a Service (an object of another kind, a value from an untyped caller)', () => {
    const { chart, workload } = setup();
    const configMap = new k8s.KubeConfigMap(chart, 'cm', { data: { a: 'b' } });
    const expected = 'a Service: a cdk8s-plus (27 to 33) Service, a cdk8s L1 KubeService, an ApiObject of kind Service (e.g. from Include), or a construct holding exactly one of them';
    expect(errorOf(() => adapt(chart, workload, { service: configMap }))).toBe(`${E}service: received "ConfigMap chart/cm"; expected ${expected} (kind ConfigMap is not a Service)`);
    const other = setup();
    expect(errorOf(() => adapt(other.chart, other.workload, { service: 'shop-api' as any }))).toBe(`${E}service: received "shop-api"; expected ${expected}`);
  });

  test('fails when an L1 Service has no port aimed at port or appPort (named and numbered targets listed)', () => {
    const { chart, workload } = setup();
    const service = new k8s.KubeService(chart, 'svc', { spec: { ports: [{ name: 'a', port: 80, targetPort: k8s.IntOrString.fromString('web') }, { name: 'b', port: 7000 }] } });
    expect(errorOf(() => adapt(chart, workload, { service })))
      .toBe(`${E}service: received "chart/svc"; expected a Service with a port whose targetPort is port (8080) or appPort (9080) (its targetPorts: web, 7000)`);
  });
});

describe('HttpCompatAdapter: the generated nginx.conf and njs module', () => {
  const build = (props: Partial<HttpCompatAdapterProps>) => {
    const { chart, workload } = setup();
    return adapt(chart, workload, props);
  };

  test('GIVEN no rules THEN everything passes through to 127.0.0.1:<appPort>, streamed, from the port clients use', () => {
    const conf = build({}).nginxConfig;
    expect(conf).toContain('load_module /usr/lib/nginx/modules/ngx_http_js_module.so;');
    expect(conf).toContain('    upstream app {\n        server 127.0.0.1:9080;\n        keepalive 16;\n    }');
    expect(conf).toContain('        listen 8080;\n');
    expect(conf).toContain('pid /tmp/nginx.pid;');
    expect(conf).toContain('        client_max_body_size 0;\n        proxy_request_buffering off;\n');
    expect(conf).toMatch(/location \/ \{\n {12}# no rule matched: passed to the app unchanged \(streamed\)\n {12}proxy_set_header Host \$host;\n[^}]*proxy_pass http:\/\/app;\n {8}\}/);
    expect(conf.match(/location /g)).toHaveLength(1);
  });

  test('GIVEN rules of each shape THEN each gets its location, exact rules first, in order', () => {
    const conf = build({
      rules: [
        UrlRule.prefix('/v1/users', '/v2/people'),
        UrlRule.regex('^/v1/orders/([0-9]+)$', '/v2/orders/$1', { methods: [HttpMethod.GET, HttpMethod.HEAD] }),
        UrlRule.exact('/v1/status', '/v2/health'),
        UrlRule.prefix('/v1/old', '/v2/people', { action: UrlAction.REDIRECT_301 }),
        UrlRule.exact('/v1/ping', '/v2/ping', { action: UrlAction.REDIRECT_308 }),
      ],
    }).nginxConfig;
    const heads = [...conf.matchAll(/^ {8}location (.*) \{$/gm)].map((m) => m[1]);
    expect(heads).toEqual(['= /v1/status', '= /v1/ping', '~ "^/v1/users(/.*)?$"', '~ "^/v1/orders/([0-9]+)$"', '~ "^/v1/old(/.*)?$"', '/']);
    expect(conf).toContain('rewrite ^ /v2/health break;');
    expect(conf).toContain('rewrite "^/v1/users(/.*)?$" /v2/people$1 break;');
    expect(conf).toContain('rewrite "^/v1/orders/([0-9]+)$" /v2/orders/$1 break;');
    expect(conf).toContain('            if ($request_method !~ ^(GET|HEAD)$) {\n                return 405;\n            }\n            add_header Allow "GET, HEAD" always;');
    expect(conf).toContain('return 301 /v2/people$1$is_args$args;');
    expect(conf).toContain('return 308 /v2/ping$is_args$args;');
    expect(conf).toContain('absolute_redirect off;');
  });

  test('GIVEN a maxBodySize from another copy of cdk8s WHEN the adapter is built THEN it is accepted and written like one of ours', () => {
    // a second copy of cdk8s (another module instance): its Size is no `instanceof` ours
    let OtherSize: typeof Size = Size;
    jest.isolateModules(() => { OtherSize = require('cdk8s').Size; });
    expect(OtherSize).not.toBe(Size);
    const rules = [UrlRule.prefix('/v1/users', '/v2/people', { legacyContentType: 'application/vnd.acme.v1+json', requestBody: [JsonRule.rename('userName', 'username')] })];
    const theirs = build({ maxBodySize: OtherSize.kibibytes(512), rules });
    const ours = build({ maxBodySize: Size.kibibytes(512), rules });
    expect(theirs.nginxConfig).toBe(ours.nginxConfig);
    expect(theirs.njsModule).toBe(ours.njsModule);
    expect(theirs.njsModule).toContain(String(512 * 1024));
  });

  test('GIVEN body rules and a legacy content type THEN only that location buffers (up to maxBodySize) and runs the njs filters', () => {
    const a = build({
      maxBodySize: Size.kibibytes(512),
      rules: [
        UrlRule.prefix('/v1/users', '/v2/people', {
          legacyContentType: 'application/vnd.acme.v1+json',
          requestBody: [JsonRule.rename('userName', 'username'), JsonRule.move('street', 'address.street')],
          responseBody: [JsonRule.drop('internal'), JsonRule.setDefault('apiVersion', 1)],
        }),
        UrlRule.prefix('/v1/plain', '/v2/plain'),
      ],
    });
    const users = /location ~ "\^\/v1\/users[^\n]*\{\n([\s\S]*?)\n {8}\}/.exec(a.nginxConfig)![1];
    expect(users).toContain('set $adapter_rule 0;');
    expect(users).toContain('client_max_body_size 524288;\n            client_body_buffer_size 524288;\n            proxy_request_buffering on;');
    expect(users).toContain('proxy_set_body $adapter_request_body;');
    expect(users).toContain('proxy_set_header Content-Type $adapter_request_content_type;');
    expect(users).toContain('proxy_set_header Accept-Encoding "";');
    expect(users).toContain('js_header_filter adapter.responseHeaders;');
    expect(users).toContain('js_body_filter adapter.responseBody buffer_type=buffer;');
    const plain = /location ~ "\^\/v1\/plain[^\n]*\{\n([\s\S]*?)\n {8}\}/.exec(a.nginxConfig)![1];
    expect(plain).not.toMatch(/adapter_rule|js_|client_body_buffer_size/);
    expect(a.njsModule).toContain([
      'var RULES = {',
      '  "0": {',
      '    "req": [',
      '      {"op":"move","path":["userName"],"to":["username"]},',
      '      {"op":"move","path":["street"],"to":["address","street"]}',
      '    ],',
      '    "res": [',
      '      {"op":"drop","path":["internal"]},',
      '      {"op":"default","path":["apiVersion"],"value":1}',
      '    ],',
      '    "legacy": "application/vnd.acme.v1+json"',
      '  }',
      '};',
    ].join('\n'));
    expect(a.njsModule).toContain('var LIMIT = 524288;');
    expect(a.njsModule).not.toMatch(/\?\.|\?\?/); // njs 0.7.9 has neither
  });

  test('GIVEN header rules THEN every location renames, sets and removes them both ways', () => {
    const conf = build({
      rules: [UrlRule.exact('/v1/a', '/v2/a')],
      headers: [
        HeaderRule.rename(HeaderDirection.REQUEST, 'X-Api-Key', 'X-Auth-Key'),
        HeaderRule.set(HeaderDirection.REQUEST, 'X-Client', 'v1'),
        HeaderRule.remove(HeaderDirection.REQUEST, 'X-Debug'),
        HeaderRule.rename(HeaderDirection.RESPONSE, 'X-Request-Id', 'X-Trace-Id'),
        HeaderRule.set(HeaderDirection.RESPONSE, 'X-Api-Deprecated', 'true'),
        HeaderRule.remove(HeaderDirection.RESPONSE, 'Server-Timing'),
      ],
    }).nginxConfig;
    const block = [
      'proxy_set_header X-Auth-Key $http_x_api_key;',
      'proxy_set_header X-Api-Key "";',
      'proxy_set_header X-Client "v1";',
      'proxy_set_header X-Debug "";',
      'proxy_hide_header X-Request-Id;',
      'add_header X-Trace-Id $upstream_http_x_request_id always;',
      'proxy_hide_header X-Api-Deprecated;',
      'add_header X-Api-Deprecated "true" always;',
      'proxy_hide_header Server-Timing;',
    ].map((l) => `            ${l}`).join('\n');
    expect(conf.split(block)).toHaveLength(3); // the rule's location and the catch-all
  });

  test('GIVEN unmatched NOT_FOUND THEN the catch-all answers 404 without asking the app', () => {
    expect(build({ unmatched: UnmatchedRequests.NOT_FOUND }).nginxConfig).toContain('location / {\n            # no rule matched: unknown to the adapter\n            return 404;\n        }');
  });
});

describe('HttpCompatAdapter: fails when', () => {
  const err = (props: Partial<HttpCompatAdapterProps>, extra?: (chart: Chart, w: kplus.AbstractPod) => Partial<HttpCompatAdapterProps>) => {
    const { chart, workload } = setup();
    return errorOf(() => adapt(chart, workload, { ...props, ...extra?.(chart, workload) }));
  };

  test('fails when appPort equals port', () => {
    expect(err({ appPort: 8080 })).toBe(`${E}appPort: received 8080; expected a port other than port (8080): the adapter listens on port, the app on 127.0.0.1:appPort`);
  });

  test('fails when the app container still declares the port the adapter takes over', () => {
    const { chart } = setup();
    const w = new kplus.Deployment(chart, 'web', { containers: [{ name: 'app', image: APP_IMAGE, portNumber: 8080 }] });
    expect(errorOf(() => adapt(chart, w))).toBe(`${E}port: received 8080; expected a port the app container "app" no longer declares: the adapter takes it over and the app moves to 127.0.0.1:9080 (declare no port on the app: it listens on loopback only)`);
  });

  test('fails when the port is privileged', () => {
    expect(err({ port: 80 })).toBe(`${E}port: received 80; expected an integer port number from 1024 to 65535 (the proxy runs as a non-root user, which cannot bind ports below 1024)`);
  });

  test('fails when a prefix rule comes after a shorter prefix that takes all its paths', () => {
    expect(err({ rules: [UrlRule.prefix('/v1', '/v2'), UrlRule.prefix('/v1/users', '/v2/people')] }))
      .toBe(`${E}rules[1].from: received "/v1/users"; expected a rule that can match: rules[0] (prefix "/v1") comes first and takes every path this one matches; put the longer prefix first`);
  });

  test('fails when two exact rules share a path', () => {
    expect(err({ rules: [UrlRule.exact('/v1/a', '/v2/a'), UrlRule.exact('/v1/a', '/v2/b')] }))
      .toBe(`${E}rules[1].from: received "/v1/a"; expected a rule that can match: rules[0] (exact "/v1/a") comes first and takes every path this one matches`);
  });

  test('fails when a regex replacement uses a capture the pattern does not have', () => {
    expect(err({ rules: [UrlRule.regex('^/v1/orders/([0-9]+)$', '/v2/orders/$2')] }))
      .toBe(`${E}rules[0].to: received "/v2/orders/$2"; expected captures the pattern has ($1 to $1; it has 1 group): "$2" is empty`);
  });

  test('fails when a regex is not anchored at the path start', () => {
    expect(err({ rules: [UrlRule.regex('/v1/(.*)', '/v2/$1')] }))
      .toBe(`${E}rules[0].from: received "/v1/(.*)"; expected a regular expression anchored at the path start ("^/"), without spaces, quotes or "\\\\", e.g. "^/v1/orders/([0-9]+)$"`);
  });

  test('fails when a rewrite lands outside the paths the app declares', () => {
    expect(err({ appPaths: ['/v2'], rules: [UrlRule.prefix('/v1/users', '/v3/people')] }))
      .toBe(`${E}rules[0].to: received "/v3/people"; expected a path the app serves (appPaths: "/v2")`);
  });

  test('fails when a redirect sends clients to a path it matches again', () => {
    expect(err({ rules: [UrlRule.prefix('/api', '/api/v2', { action: UrlAction.REDIRECT_308 })] }))
      .toBe(`${E}rules[0].to: received "/api/v2"; expected a path the rule does not match itself (redirecting "/api" there makes the client loop)`);
  });

  test('fails when a redirect has body rules', () => {
    expect(err({ rules: [UrlRule.prefix('/v1', '/v2', { action: UrlAction.REDIRECT_301, responseBody: [JsonRule.drop('x')] })] }))
      .toBe(`${E}rules[0].options.responseBody: received "1 rules"; expected unset unless action is "rewrite" (a redirected client sends its next request to the new URL itself)`);
  });

  test('fails when methods is empty', () => {
    expect(err({ rules: [UrlRule.exact('/v1/a', '/v2/a', { methods: [] })] }))
      .toBe(`${E}rules[0].options.methods: received []; expected a non-empty list of one of "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" (an empty list matches no request)`);
  });

  test('fails when a JSON rule moves a field into itself', () => {
    expect(err({ rules: [UrlRule.exact('/v1/a', '/v2/a', { requestBody: [JsonRule.move('user', 'user.name')] })] }))
      .toBe(`${E}rules[0].options.requestBody[0].to: received "user.name"; expected a field other than "user" and outside it`);
  });

  test('fails when two header rules change one header', () => {
    expect(err({ headers: [HeaderRule.set(HeaderDirection.RESPONSE, 'X-A', '1'), HeaderRule.rename(HeaderDirection.RESPONSE, 'X-B', 'x-a')] }))
      .toBe(`${E}headers[1].value: received "x-a"; expected a response header no other rule changes (headers[0] does)`);
  });

  test('fails when a header rule touches a header the adapter manages', () => {
    expect(err({ headers: [HeaderRule.set(HeaderDirection.REQUEST, 'Host', 'api.example.com')] }))
      .toBe(`${E}headers[0].name: received "Host"; expected a header the adapter does not manage (not "host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer", "content-type", "accept-encoding", "x-forwarded-for", "allow"; content types are mapped with legacyContentType)`);
  });

  test('fails when an untyped caller passes a plain object as a rule', () => {
    expect(err({ rules: [{ match: 'prefix', from: '/v1', to: '/v2' } as any] }))
      .toBe(`${E}rules[0]: received {"match":"prefix","from":"/v1","to":"/v2"}; expected a UrlRule (UrlRule.exact, UrlRule.prefix or UrlRule.regex)`);
  });

  test('fails when the Service has no port targeting port or appPort', () => {
    expect(err({}, (chart, w) => ({ service: new kplus.Service(chart, 'svc', { selector: w as kplus.Deployment, ports: [{ name: 'http', port: 80, targetPort: 7000 }] }) })))
      .toBe(`${E}service: received "chart/svc"; expected a Service with a port whose targetPort is port (8080) or appPort (9080) (its targetPorts: 7000)`);
  });

  test('fails when the workload has several containers and no appContainer or appContainerName, listing every problem together', () => {
    const { chart } = setup();
    const w = new kplus.Deployment(chart, 'web', { containers: [{ name: 'a', image: APP_IMAGE }, { name: 'b', image: APP_IMAGE }] });
    expect(errorOf(() => adapt(chart, w, { appPort: 8080, maxBodySize: Size.kibibytes(0.5) })))
      .toBe(`${E}appPort: received 8080; expected a port other than port (8080): the adapter listens on port, the app on 127.0.0.1:appPort\n  `
        + 'appContainer: received undefined; expected the app container (or appContainerName); the workload has several containers ("a", "b"): name one\n  '
        + 'maxBodySize: received "512 bytes"; expected from 1 KiB to 64 MiB (the adapter holds a mapped body in memory, several times over)');
  });
});

describe('HttpCompatAdapter: probes go through the adapter', () => {
  test('fails when the app declares appPort (cdk8s-plus then probes it, on the pod address where the app does not listen)', () => {
    const { chart } = setup();
    const w = new kplus.Deployment(chart, 'web', { containers: [{ name: 'app', image: APP_IMAGE, portNumber: 9080 }] });
    expect(errorOf(() => adapt(chart, w))).toBe(`${E}appPort: received 9080; expected a port no probe of the app container "app" targets (its startupProbe does): the kubelet probes the pod's address, where the app on 127.0.0.1:9080 cannot be reached; probe port 8080 on a path the adapter passes through (cdk8s-plus adds a TCP startup probe on a declared port: declare no port on the app)`);
  });

  test('GIVEN a readiness probe on the port clients use THEN it is accepted and left as the user wrote it', () => {
    const chart = new Chart(Testing.app(), 'chart');
    const w = new kplus.Deployment(chart, 'web', { containers: [{ name: 'app', image: APP_IMAGE, readiness: kplus.Probe.fromHttpGet('/v2/health', { port: 8080 }) }] });
    adapt(chart, w);
    expect(container(podSpecOf(only(chart, 'Deployment')), 'app').readinessProbe.httpGet).toEqual({ path: '/v2/health', port: 8080, scheme: 'HTTP' });
  });
});

describe('HttpCompatAdapter: probes, read from the rendered pod of any library', () => {
  const l1 = (chart: Chart, probe: k8s.Probe) => new k8s.KubeDeployment(chart, 'web', {
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: APP_IMAGE, readinessProbe: probe }] } },
    },
  });

  test('fails when an L1 app\'s readiness probe targets appPort', () => {
    const chart = new Chart(Testing.app(), 'chart');
    const w = l1(chart, { httpGet: { path: '/v2/health', port: k8s.IntOrString.fromNumber(9080) } });
    expect(errorOf(() => adapt(chart, w))).toBe(`${E}appPort: received 9080; expected a port no probe of the app container "app" targets (its readinessProbe does): the kubelet probes the pod's address, where the app on 127.0.0.1:9080 cannot be reached; probe port 8080 on a path the adapter passes through (cdk8s-plus adds a TCP startup probe on a declared port: declare no port on the app)`);
  });

  test('GIVEN an L1 app probed on the port clients use THEN it is accepted and its probe left as written', () => {
    const chart = new Chart(Testing.app(), 'chart');
    const w = l1(chart, { httpGet: { path: '/v2/health', port: k8s.IntOrString.fromNumber(8080) } });
    adapt(chart, w);
    expect(container(podSpecOf(only(chart, 'Deployment')), 'app').readinessProbe).toEqual({ httpGet: { path: '/v2/health', port: 8080 } });
  });
});

describe('HttpCompatAdapter: redirect targets', () => {
  const build = (rules: UrlRule[]) => {
    const { chart, workload } = setup();
    return () => adapt(chart, workload, { appPaths: ['/v2'], rules });
  };

  test('fails when a redirect sends clients to a path neither the app nor another rule serves', () => {
    expect(errorOf(build([UrlRule.prefix('/v1/old', '/v1/gone', { action: UrlAction.REDIRECT_301 })])))
      .toBe(`${E}rules[0].to: received "/v1/gone"; expected a path the app serves (appPaths: "/v2") or another rule matches: the redirected client asks for it next`);
  });

  test('GIVEN a redirect to a path another rule rewrites, or the app serves THEN it is accepted', () => {
    expect(build([UrlRule.prefix('/v0/users', '/v1/users', { action: UrlAction.REDIRECT_308 }), UrlRule.prefix('/v1/users', '/v2/people')])).not.toThrow();
    expect(build([UrlRule.exact('/v1/me', '/v2/people/1', { action: UrlAction.REDIRECT_301 })])).not.toThrow();
  });
});
