/**
 * The flat proxy props of before `backend` (0.1), for the error an untyped caller still passing
 * them gets: each names what to write instead, with the value received where it maps to one. A
 * typed caller cannot pass them (they are gone from ProxyAmbassadorProps); the construct reports
 * them before any other check.
 */
import { HaproxyBalance, HaproxyMode, ProxyHealthCheck } from './haproxy';
import { RemovedProps, show } from '../_pod/rules';
import { TwemproxyDistribution, TwemproxyHash } from './twemproxy';

type Instead = (value: unknown) => string;

/** `option: <the value, in the new form>`. */
const same = (option: string): ((v: unknown) => string) => (v) => `${option}: ${show(v)}`;
const enumMember = (option: string, name: string, e: Record<string, string>) => (v: unknown) => {
  const key = Object.keys(e).find((k) => e[k] === v);
  return `${option}: ${name}.${key ?? '<NAME>'}`;
};
const millis = (option: string) => (v: unknown) => `${option}: Duration.millis(${typeof v === 'number' ? v : '<ms>'})`;
const twem = (f: (v: unknown) => string): Instead => (v) => `use backend: ProxyBackend.twemproxy({ ${f(v)} })`;
const ha = (f: (v: unknown) => string): Instead => (v) => `use backend: ProxyBackend.haproxy({ ${f(v)} })`;

/** Removed prop -> what to use instead (from the value received). */
export const REMOVED_PROPS: RemovedProps = {
  kind: (v) => `choose the proxy with backend: ${v === 'twemproxy' ? 'ProxyBackend.twemproxy({...})' : 'ProxyBackend.haproxy({...}) (the default)'}`,
  redis: twem(same('redis')),
  hash: twem(enumMember('hash', 'TwemproxyHash', TwemproxyHash)),
  distribution: twem(enumMember('distribution', 'TwemproxyDistribution', TwemproxyDistribution)),
  autoEjectHosts: twem(same('autoEjectHosts')),
  serverRetryTimeoutMs: twem(millis('serverRetryTimeout')),
  serverFailureLimit: twem(same('serverFailureLimit')),
  timeoutMs: twem(millis('timeout')),
  statsPort: twem(same('statsPort')),
  mode: ha(enumMember('mode', 'HaproxyMode', HaproxyMode)),
  balance: ha(enumMember('balance', 'HaproxyBalance', HaproxyBalance)),
  maxConnections: ha(same('maxConnections')),
  connectTimeoutMs: ha(millis('connectTimeout')),
  clientTimeoutMs: ha(millis('clientTimeout')),
  serverTimeoutMs: ha(millis('serverTimeout')),
  upstreamTls: ha(same('upstreamTls')),
  resolveAtRuntime: ha(same('resolveAtRuntime')),
  healthCheck: ha(enumMember('healthCheck', 'ProxyHealthCheck', ProxyHealthCheck)),
  hostHeader: ha(same('hostHeader')),
  healthCheckPath: ha(same('healthCheckPath')),
  healthPort: ha(same('healthPort')),
};
