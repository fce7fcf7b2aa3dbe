/**
 * The library's entry point for every language: the functions and constants of the TypeScript API
 * as static members of one class (jsii exports only classes, interfaces and enums), so that Python,
 * Java and Go have `Patterns.runSynth`, `Patterns.hardenContainer`, `Patterns.setKubernetesVersion`,
 * the default images and the rest. TypeScript keeps its top-level exports too; each is the same
 * value or the same function as its member here (test/patterns.test.ts checks it, and
 * `npm run build:jsii` fails on an export that has no member here).
 */
import { App, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import * as lib from './_exports';
import { FluentBitConfigOptions } from './_log/fluent-bit-config';
import { NamedContainer } from './_pod/helper';
import { RecommendedLabels } from './_pod/labels';
import { DefaultResources, ResourceOptions } from './_pod/security';
import { HaproxyConfigOptions } from './_proxy/haproxy';
import { TwemproxyArgsOptions, TwemproxyConfigOptions } from './_proxy/twemproxy';
import { NginxExporterArgsOptions, NginxStubStatusOptions, RedisExporterArgsOptions } from './adapter';
import { KubectlDebugOptions } from './debug-sidecar';
import { HardenContainerOptions } from './harden';
import { runSynthOf, SynthOptions, SynthResult } from './synth';
import { KubernetesVersion, SchemaViolation } from './synth/schema';

/** A probe's timing. */
export interface ProbeTiming {
  /** `periodSeconds`. */
  readonly periodSeconds: number;
  /** `failureThreshold`. */
  readonly failureThreshold: number;
  /** `timeoutSeconds`. */
  readonly timeoutSeconds: number;
}

/** What kind of error a message is (see {@link Patterns.errorKind}). */
export enum ErrorKind {
  /** A construct's props are invalid (TypeScript: a `PropsError`): `[<construct path>] invalid props: ...`. */
  PROPS = 'props',
  /** The app cannot be synthesized (TypeScript: a `SynthError`): `Synthesis failed with N error(s): ...`. */
  SYNTH = 'synth',
  /** Any other error. */
  OTHER = 'other',
}

/** The start of a props error's message (a `PropsError`) and of a synth error's (a `SynthError`). */
const PROPS_ERROR_MESSAGE = /(^|\n|: )\[[^\]\n]*\] invalid props:\n/;
const SYNTH_ERROR_MESSAGE = /(^|\n|: )Synthesis failed with \d+ errors?:\n/;

/** The library's functions and constants, for every language (see the file's documentation). */
export class Patterns {
  /** The TypeScript `POD_SECURITY_ANNOTATION`. */
  public static readonly POD_SECURITY_ANNOTATION: string = lib.POD_SECURITY_ANNOTATION;

  /** The TypeScript `DEFAULT_RESOURCES`. */
  public static readonly DEFAULT_RESOURCES: DefaultResources = { ...lib.DEFAULT_RESOURCES };

  /** The TypeScript `RECOMMENDED_LABEL_KEYS`. */
  public static readonly RECOMMENDED_LABEL_KEYS: { [field: string]: string } = { ...lib.RECOMMENDED_LABEL_KEYS };

  /** The TypeScript `MANAGED_BY`. */
  public static readonly MANAGED_BY: string = lib.MANAGED_BY;

  /** The TypeScript `PATTERN_ROLES`. */
  public static readonly PATTERN_ROLES: { [pattern: string]: string } = { ...lib.PATTERN_ROLES };

  /** The TypeScript `KUBERNETES_VERSION_CONTEXT`. */
  public static readonly KUBERNETES_VERSION_CONTEXT: string = lib.KUBERNETES_VERSION_CONTEXT;

  /** The TypeScript `HAPROXY_BACKEND`. */
  public static readonly HAPROXY_BACKEND: string = lib.HAPROXY_BACKEND;

  /** The TypeScript `HAPROXY_CHECK_TIMING`. */
  public static readonly HAPROXY_CHECK_TIMING: string = lib.HAPROXY_CHECK_TIMING;

  /** The TypeScript `HAPROXY_FRONTEND`. */
  public static readonly HAPROXY_FRONTEND: string = lib.HAPROXY_FRONTEND;

  /** The TypeScript `HAPROXY_HEALTH_PATH`. */
  public static readonly HAPROXY_HEALTH_PATH: string = lib.HAPROXY_HEALTH_PATH;

  /** The TypeScript `HAPROXY_RESOLVERS`. */
  public static readonly HAPROXY_RESOLVERS: string = lib.HAPROXY_RESOLVERS;

  /** The TypeScript `TWEMPROXY_POOL_NAME`. */
  public static readonly TWEMPROXY_POOL_NAME: string = lib.TWEMPROXY_POOL_NAME;

  /** The TypeScript `HAPROXY_IMAGE`. */
  public static readonly HAPROXY_IMAGE: string = lib.HAPROXY_IMAGE;

  /** The TypeScript `HAPROXY_USER_ID`. */
  public static readonly HAPROXY_USER_ID: number = lib.HAPROXY_USER_ID;

  /** The TypeScript `HAPROXY_CONFIG_DIR`. */
  public static readonly HAPROXY_CONFIG_DIR: string = lib.HAPROXY_CONFIG_DIR;

  /** The TypeScript `HAPROXY_CONFIG_FILE`. */
  public static readonly HAPROXY_CONFIG_FILE: string = lib.HAPROXY_CONFIG_FILE;

  /** The TypeScript `DEFAULT_HAPROXY_HEALTH_PORT`. */
  public static readonly DEFAULT_HAPROXY_HEALTH_PORT: number = lib.DEFAULT_HAPROXY_HEALTH_PORT;

  /** The TypeScript `TWEMPROXY_COMMAND`. */
  public static readonly TWEMPROXY_COMMAND: string[] = [...lib.TWEMPROXY_COMMAND];

  /** The TypeScript `TWEMPROXY_DOCKERFILE`. */
  public static readonly TWEMPROXY_DOCKERFILE: string = lib.TWEMPROXY_DOCKERFILE;

  /** The TypeScript `TWEMPROXY_CONFIG_DIR`. */
  public static readonly TWEMPROXY_CONFIG_DIR: string = lib.TWEMPROXY_CONFIG_DIR;

  /** The TypeScript `TWEMPROXY_CONFIG_FILE`. */
  public static readonly TWEMPROXY_CONFIG_FILE: string = lib.TWEMPROXY_CONFIG_FILE;

  /** The TypeScript `DEFAULT_TWEMPROXY_STATS_PORT`. */
  public static readonly DEFAULT_TWEMPROXY_STATS_PORT: number = lib.DEFAULT_TWEMPROXY_STATS_PORT;

  /** The TypeScript `DEFAULT_BIND_ADDRESS`. */
  public static readonly DEFAULT_BIND_ADDRESS: string = lib.DEFAULT_BIND_ADDRESS;

  /** The TypeScript `PROXY_PORT_NAME`. */
  public static readonly PROXY_PORT_NAME: string = lib.PROXY_PORT_NAME;

  /** The TypeScript `PROXY_STARTUP_PROBE_TIMING`. */
  public static readonly PROXY_STARTUP_PROBE_TIMING: ProbeTiming = { ...lib.PROXY_STARTUP_PROBE_TIMING };

  /** The TypeScript `FLUENT_BIT_CONFIG_DIR`. */
  public static readonly FLUENT_BIT_CONFIG_DIR: string = lib.FLUENT_BIT_CONFIG_DIR;

  /** The TypeScript `FLUENT_BIT_CONFIG_FILE`. */
  public static readonly FLUENT_BIT_CONFIG_FILE: string = lib.FLUENT_BIT_CONFIG_FILE;

  /** The TypeScript `FLUENT_BIT_PARSERS_FILE`. */
  public static readonly FLUENT_BIT_PARSERS_FILE: string = lib.FLUENT_BIT_PARSERS_FILE;

  /** The TypeScript `FLUENT_BIT_DB_DIR`. */
  public static readonly FLUENT_BIT_DB_DIR: string = lib.FLUENT_BIT_DB_DIR;

  /** The TypeScript `DEFAULT_FORWARD_PORT`. */
  public static readonly DEFAULT_FORWARD_PORT: number = lib.DEFAULT_FORWARD_PORT;

  /** The TypeScript `DEFAULT_ELASTICSEARCH_PORT`. */
  public static readonly DEFAULT_ELASTICSEARCH_PORT: number = lib.DEFAULT_ELASTICSEARCH_PORT;

  /** The TypeScript `DEFAULT_ELASTICSEARCH_INDEX`. */
  public static readonly DEFAULT_ELASTICSEARCH_INDEX: string = lib.DEFAULT_ELASTICSEARCH_INDEX;

  /** The TypeScript `STREAM_STOP_GRACE_SECONDS`. */
  public static readonly STREAM_STOP_GRACE_SECONDS: number = lib.STREAM_STOP_GRACE_SECONDS;

  /** The TypeScript `DEFAULT_LOG_STREAMER_IMAGE`. */
  public static readonly DEFAULT_LOG_STREAMER_IMAGE: string = lib.DEFAULT_LOG_STREAMER_IMAGE;

  /** The TypeScript `DEFAULT_LOG_AGENT_IMAGE`. */
  public static readonly DEFAULT_LOG_AGENT_IMAGE: string = lib.DEFAULT_LOG_AGENT_IMAGE;

  /** The TypeScript `DEFAULT_LOG_VOLUME_SIZE_LIMIT`. */
  public static readonly DEFAULT_LOG_VOLUME_SIZE_LIMIT: string = lib.DEFAULT_LOG_VOLUME_SIZE_LIMIT;

  /** The TypeScript `DEFAULT_LOG_AGENT_RESOURCES`. */
  public static readonly DEFAULT_LOG_AGENT_RESOURCES: ResourceOptions = { ...lib.DEFAULT_LOG_AGENT_RESOURCES };

  /** The TypeScript `DEFAULT_APP_DRAIN_SECONDS`. */
  public static readonly DEFAULT_APP_DRAIN_SECONDS: number = lib.DEFAULT_APP_DRAIN_SECONDS;

  /** The TypeScript `DEFAULT_TERMINATION_GRACE_SECONDS`. */
  public static readonly DEFAULT_TERMINATION_GRACE_SECONDS: number = lib.DEFAULT_TERMINATION_GRACE_SECONDS;

  /** The TypeScript `HOLD_APP_TIMEOUT_SECONDS`. */
  public static readonly HOLD_APP_TIMEOUT_SECONDS: number = lib.HOLD_APP_TIMEOUT_SECONDS;

  /** The TypeScript `HAPROXY_INIT_ADDR`. */
  public static readonly HAPROXY_INIT_ADDR: string = lib.HAPROXY_INIT_ADDR;

  /** The TypeScript `HAPROXY_REDIS_CHECK_TIMING`. */
  public static readonly HAPROXY_REDIS_CHECK_TIMING: string = lib.HAPROXY_REDIS_CHECK_TIMING;

  /** The TypeScript `HAPROXY_REDIS_PRIMARY_CHECK`. */
  public static readonly HAPROXY_REDIS_PRIMARY_CHECK: string[] = [...lib.HAPROXY_REDIS_PRIMARY_CHECK];

  /** The TypeScript `HAPROXY_RESOLVER_SETTINGS`. */
  public static readonly HAPROXY_RESOLVER_SETTINGS: string[] = [...lib.HAPROXY_RESOLVER_SETTINGS];

  /** The TypeScript `PROXY_STOP_SECONDS`. */
  public static readonly PROXY_STOP_SECONDS: number = lib.PROXY_STOP_SECONDS;

  /** The TypeScript `DEFAULT_LOG_ROTATION_CHECK_SECONDS`. */
  public static readonly DEFAULT_LOG_ROTATION_CHECK_SECONDS: number = lib.DEFAULT_LOG_ROTATION_CHECK_SECONDS;

  /** The TypeScript `DEFAULT_LOG_ROTATION_KEEP`. */
  public static readonly DEFAULT_LOG_ROTATION_KEEP: number = lib.DEFAULT_LOG_ROTATION_KEEP;

  /** The TypeScript `FLUENT_BIT_GRACE_SECONDS`. */
  public static readonly FLUENT_BIT_GRACE_SECONDS: number = lib.FLUENT_BIT_GRACE_SECONDS;

  /** The TypeScript `ROTATION_DRAIN_SECONDS`. */
  public static readonly ROTATION_DRAIN_SECONDS: number = lib.ROTATION_DRAIN_SECONDS;

  /** The TypeScript `ROTATION_SIGNALS`. */
  public static readonly ROTATION_SIGNALS: string[] = [...lib.ROTATION_SIGNALS];

  /**
   * What kind of error this is, from its message (or the error itself, in TypeScript): a props
   * error, a synth error, or another. In Python, Java and Go a thrown `PropsError` or `SynthError`
   * arrives as the language's jsii error carrying the same message; pass that message here (the
   * jsii runtime may put the error's name before it, which is accepted).
   */
  public static errorKind(error: any): ErrorKind {
    const message: unknown = error instanceof Error ? error.message : error;
    if (typeof message !== 'string') return ErrorKind.OTHER;
    if (PROPS_ERROR_MESSAGE.test(message)) return ErrorKind.PROPS;
    if (SYNTH_ERROR_MESSAGE.test(message)) return ErrorKind.SYNTH;
    return ErrorKind.OTHER;
  }

  /**
   * The library's own text of a props or synth error: its first line and one line per problem.
   * The jsii runtimes of Java and Go append the JavaScript stack to the message they carry; this
   * leaves it out, so that every language prints the same text. Any other error: its message.
   */
  public static errorText(error: any): string {
    const message = String(error instanceof Error ? error.message : error);
    const start = /(\[[^\]\n]*\] invalid props:|Synthesis failed with \d+ errors?:)\n/.exec(message);
    if (!start) return message;
    const [first, ...rest] = message.slice(start.index).split('\n');
    const problems: string[] = [];
    for (const line of rest) {
      if (!/^ {2}\S/.test(line)) break; // problems are indented by two spaces; a stack's lines by four
      problems.push(line);
    }
    return [first, ...problems].join('\n');
  }

  /** Whether `error` (an error, or its message) is a props error (TypeScript: a `PropsError`). */
  public static isPropsError(error: any): boolean {
    return Patterns.errorKind(error) === ErrorKind.PROPS;
  }

  /** Whether `error` (an error, or its message) is a synth error (TypeScript: a `SynthError`). */
  public static isSynthError(error: any): boolean {
    return Patterns.errorKind(error) === ErrorKind.SYNTH;
  }

  /**
   * Synthesizes a built app to `dist/` (or `options.outdir`), atomically, and prints one line per
   * file; on failure prints the errors without a stack trace, leaves the output untouched and
   * returns false (exit with a non-zero status then). The TypeScript `runSynth` takes a function
   * that builds the app instead, so that errors while building are printed the same way.
   */
  public static runSynth(app: App, options: SynthOptions = {}): boolean {
    return runSynthOf(app, options);
  }

  /** Renders, checks and writes an app (the TypeScript `synth`): the output is replaced only when everything passed; throws a synth error otherwise. */
  public static synth(app: App, options: SynthOptions = {}): SynthResult {
    return lib.synth(app, options);
  }

  /** Renders and checks an app into file contents, name to YAML, without writing anything (the files of the TypeScript `synthToMemory`). */
  public static synthToMemory(app: App): { [file: string]: string } {
    return Object.fromEntries(lib.synthToMemory(app).files);
  }

  /** Hardens one container of a workload (the TypeScript `hardenContainer`). */
  public static hardenContainer(workload: IConstruct, container: NamedContainer | string, options: HardenContainerOptions = {}): void {
    lib.hardenContainer(workload, container, options);
  }

  /** Sets the Kubernetes version the charts under `scope` target (the TypeScript `setKubernetesVersion`). */
  public static setKubernetesVersion(scope: IConstruct, version: KubernetesVersion): void {
    lib.setKubernetesVersion(scope, version);
  }

  /** The Kubernetes version `scope` targets (the TypeScript `kubernetesVersionOf`). */
  public static kubernetesVersionOf(scope: IConstruct): string {
    return lib.kubernetesVersionOf(scope);
  }

  /** The Kubernetes recommended labels for an object under `scope` (the TypeScript `recommendedLabels`). */
  public static recommendedLabels(scope: IConstruct, labels: RecommendedLabels): { [key: string]: string } {
    return lib.recommendedLabels(scope, labels);
  }

  /** Validates a manifest against the vendored schema of a Kubernetes version, e.g. "1.27" (the TypeScript `validateManifest`). */
  public static validateManifest(manifest: any, version: KubernetesVersion): SchemaViolation[] {
    return lib.validateManifest(manifest, version);
  }

  /** HAProxy's command-line arguments for a config file (the TypeScript `haproxyArgs`). */
  public static haproxyArgs(configPath: string): string[] {
    return lib.haproxyArgs(configPath);
  }

  /** HAProxy's configuration (the TypeScript `renderHaproxyConfig`). */
  public static renderHaproxyConfig(options: HaproxyConfigOptions): string {
    return lib.renderHaproxyConfig(options);
  }

  /** twemproxy's configuration (the TypeScript `renderTwemproxyConfig`). */
  public static renderTwemproxyConfig(options: TwemproxyConfigOptions): string {
    return lib.renderTwemproxyConfig(options);
  }

  /** twemproxy's command-line arguments (the TypeScript `twemproxyArgs`). */
  public static twemproxyArgs(options: TwemproxyArgsOptions): string[] {
    return lib.twemproxyArgs(options);
  }

  /** The pod-template annotation carrying a container's config hash (the TypeScript `configHashAnnotation`). */
  public static configHashAnnotation(containerName: string): string {
    return lib.configHashAnnotation(containerName);
  }

  /** Fluent Bit's configuration files, by name (the TypeScript `fluentBitConfig`). */
  public static fluentBitConfig(options: FluentBitConfigOptions): { [file: string]: string } {
    return lib.fluentBitConfig(options);
  }

  /** The stem of a log file name (the TypeScript `fileStem`). */
  public static fileStem(file: string): string {
    return lib.fileStem(file);
  }

  /** The streaming sidecar's command for one log file (the TypeScript `streamingCommand`). */
  public static streamingCommand(path: string): string[] {
    return lib.streamingCommand(path);
  }

  /** The streaming sidecar's tail command for one log file (the TypeScript `streamingTailCommand`). */
  public static streamingTailCommand(path: string): string[] {
    return lib.streamingTailCommand(path);
  }

  /** The `kubectl debug` command for a running pod (the TypeScript `kubectlDebugCommand`). */
  public static kubectlDebugCommand(options: KubectlDebugOptions): string {
    return lib.kubectlDebugCommand(options);
  }

  /** nginx's stub_status server block (the TypeScript `nginxStubStatusServerBlock`). */
  public static nginxStubStatusServerBlock(options: NginxStubStatusOptions): string {
    return lib.nginxStubStatusServerBlock(options);
  }

  /** The pod-template annotation carrying the HTTP adapter's config hash (the TypeScript `httpAdapterConfigHashAnnotation`). */
  public static httpAdapterConfigHashAnnotation(containerName: string): string {
    return lib.httpAdapterConfigHashAnnotation(containerName);
  }

  /** The command that holds a container until host:port listens (the TypeScript `holdUntilListeningCommand`). */
  public static holdUntilListeningCommand(host: string, port: number, timeout?: Duration): string[] {
    return lib.holdUntilListeningCommand(host, port, timeout);
  }

  /** The context path Tomcat serves a WAR file at (the TypeScript `warContextPath`). */
  public static warContextPath(artifactPath: string): string {
    return lib.warContextPath(artifactPath);
  }

  /** The readiness probe of the app server serving a WAR file (the TypeScript `warReadinessProbe`). */
  public static warReadinessProbe(artifactPath: string, port: number): kplus.Probe {
    return lib.warReadinessProbe(artifactPath, port);
  }

  /** Whether a host name is a short name, resolved through the pod's DNS search list (the TypeScript `isShortName`). */
  public static isShortName(host: string): boolean {
    return lib.isShortName(host);
  }

  /** The hash of a ConfigMap's data that rolls the pods when it changes (the TypeScript `configDataHash`). */
  public static configDataHash(data: { [file: string]: string }): string {
    return lib.configDataHash(data);
  }

  /** The pod-template annotation carrying a log agent's config hash (the TypeScript `logAgentConfigHashAnnotation`). */
  public static logAgentConfigHashAnnotation(containerName: string): string {
    return lib.logAgentConfigHashAnnotation(containerName);
  }

  /** The log rotation container's command (the TypeScript `logRotationCommand`). */
  public static logRotationCommand(rotation: lib.ResolvedLogRotation): string[] {
    return lib.logRotationCommand(rotation);
  }

  /** The log rotation script (the TypeScript `logRotationScript`). */
  public static logRotationScript(rotation: lib.ResolvedLogRotation): string {
    return lib.logRotationScript(rotation);
  }

  /** The streaming sidecar's command for a rotated log file (the TypeScript `rotationStreamingCommand`). */
  public static rotationStreamingCommand(path: string, graceSeconds: number): string[] {
    return lib.rotationStreamingCommand(path, graceSeconds);
  }

  /** An image reference's repository, without tag or digest (the TypeScript `imageRepository`). */
  public static imageRepository(image: string): string {
    return lib.imageRepository(image);
  }

  /** The nginx exporter's arguments (the TypeScript `nginxExporterArgs`). */
  public static nginxExporterArgs(options: NginxExporterArgsOptions): string[] {
    return lib.nginxExporterArgs(options);
  }

  /** The Redis exporter's arguments (the TypeScript `redisExporterArgs`). */
  public static redisExporterArgs(options: RedisExporterArgsOptions = {}): string[] {
    return lib.redisExporterArgs(options);
  }

  private constructor() {}
}
