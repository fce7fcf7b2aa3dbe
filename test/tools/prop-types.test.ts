/**
 * Drift guard of the runtime prop types (lib/_pod/prop-types.ts): every prop of every public
 * props interface, read from the TypeScript declarations through the compiler, has a runtime type
 * in its construct's shape, required exactly when the prop is, so a prop added later cannot skip
 * the checks that callers without types rely on.
 */
import * as path from 'path';
import * as ts from 'typescript';
import {
  ADAPTER_SHAPE, CONTAINER_SHAPE, DEBUG_SIDECAR_SHAPE, HARDEN_CONTAINER_OPTIONS_SHAPE, HTTP_COMPAT_ADAPTER_SHAPE, KUBECTL_DEBUG_SHAPE, LOG_SIDECAR_SHAPE,
  NGINX_EXPORTER_ARGS_SHAPE, NGINX_EXPORTER_SHAPE, NGINX_STUB_STATUS_SHAPE, POD_SECURITY_NAMESPACE_SHAPE, REDIS_EXPORTER_ARGS_SHAPE, PROXY_AMBASSADOR_SHAPE, REDIS_EXPORTER_SHAPE, RULE_CLASS_FIELDS, SHARED_VOLUME_CONTAINER_SHAPE,
  SHARED_VOLUME_POD_SHAPE, URL_RULE_OPTIONS_SHAPE, WAR_SIDECAR_POD_SHAPE,
} from '../../lib/_pod/prop-types';
import { PropShape } from '../../lib/_pod/rules';
import { FLUENT_BIT_OPTIONS_SHAPE } from '../../lib/_log/fluent-bit';
import { STREAMING_OPTIONS_SHAPE } from '../../lib/_log/streaming';
import { HAPROXY_MODULE } from '../../lib/_proxy/haproxy';
import { TWEMPROXY_MODULE } from '../../lib/_proxy/twemproxy';

const ENTRY = path.resolve(__dirname, '../../lib/index.ts');

const SHAPES: Record<string, PropShape> = {
  SharedVolumePodProps: SHARED_VOLUME_POD_SHAPE,
  WarSidecarPodProps: WAR_SIDECAR_POD_SHAPE,
  LogSidecarProps: LOG_SIDECAR_SHAPE,
  StreamingShippingOptions: STREAMING_OPTIONS_SHAPE,
  FluentBitShippingOptions: FLUENT_BIT_OPTIONS_SHAPE,
  ProxyAmbassadorProps: PROXY_AMBASSADOR_SHAPE,
  HaproxyBackendProps: HAPROXY_MODULE.shape,
  TwemproxyBackendProps: TWEMPROXY_MODULE.shape,
  AdapterProps: ADAPTER_SHAPE,
  NginxExporterProps: NGINX_EXPORTER_SHAPE,
  RedisExporterProps: REDIS_EXPORTER_SHAPE,
  DebugSidecarProps: DEBUG_SIDECAR_SHAPE,
  KubectlDebugOptions: KUBECTL_DEBUG_SHAPE,
  PodSecurityNamespaceProps: POD_SECURITY_NAMESPACE_SHAPE,
  ContainerOptions: CONTAINER_SHAPE,
  SharedVolumeContainerOptions: SHARED_VOLUME_CONTAINER_SHAPE,
  HttpCompatAdapterProps: HTTP_COMPAT_ADAPTER_SHAPE,
  UrlRuleOptions: URL_RULE_OPTIONS_SHAPE,
  HardenContainerOptions: HARDEN_CONTAINER_OPTIONS_SHAPE,
  NginxStubStatusOptions: NGINX_STUB_STATUS_SHAPE,
  NginxExporterArgsOptions: NGINX_EXPORTER_ARGS_SHAPE,
  RedisExporterArgsOptions: REDIS_EXPORTER_ARGS_SHAPE,
};

/** The rule classes (values made by static factories): every public field has a type (a field typed `T | undefined` may be unset). */
const CLASSES = RULE_CLASS_FIELDS;

/** The props of each exported interface: name -> required. */
function declaredProps(): Map<string, Map<string, boolean>> {
  const program = ts.createProgram([ENTRY], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, skipLibCheck: true, noEmit: true, types: ['node'] });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(ENTRY)!)!;
  const out = new Map<string, Map<string, boolean>>();
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    if (!(exported.name in SHAPES) && !(exported.name in CLASSES)) continue;
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const type = checker.getDeclaredTypeOfSymbol(symbol);
    out.set(exported.name, new Map(checker.getPropertiesOfType(type).map((p) => [p.name, (p.flags & ts.SymbolFlags.Optional) === 0])));
  }
  return out;
}

describe('runtime prop types', () => {
  const declared = declaredProps();

  /** Props declared but untyped, typed but not declared, or required on one side only. */
  function drift(iface: string, shape: PropShape): string[] {
    const props = declared.get(iface)!;
    const shapeProps = new Map(Object.entries(shape).filter(([k]) => k !== '*').map(([k, t]) => [k, typeof t === 'object' && 'required' in t]));
    const out: string[] = [];
    for (const [k, want] of props) {
      if (!shapeProps.has(k)) out.push(`${k}: declared, no runtime type`);
      else if (shapeProps.get(k) !== want) out.push(`${k}: required ${want} declared, ${shapeProps.get(k)} in the shape`);
    }
    for (const k of shapeProps.keys()) if (!props.has(k)) out.push(`${k}: in the shape, not declared`);
    return out;
  }

  test.each(Object.keys(SHAPES))('GIVEN %s THEN every declared prop has a runtime type, required exactly when the prop is', (iface) => {
    expect(declared.has(iface)).toBe(true);
    expect(drift(iface, SHAPES[iface])).toEqual([]);
  });

  test.each(Object.keys(CLASSES))('GIVEN the rule class %s THEN every public field has a runtime type, and no type names a field it lacks', (cls) => {
    const fields = declared.get(cls)!;
    expect([...fields.keys()].filter((k) => !(k in CLASSES[cls]))).toEqual([]);
    expect(Object.keys(CLASSES[cls]).filter((k) => !fields.has(k))).toEqual([]);
  });

  test('negative control: a shape missing a prop, or with a required one made optional, is reported', () => {
    const { volumeName: _v, containers: _c, ...damaged } = SHARED_VOLUME_POD_SHAPE;
    expect(drift('SharedVolumePodProps', { ...damaged, containers: 'any' })).toEqual(['containers: required true declared, false in the shape', 'volumeName: declared, no runtime type']);
  });
});
