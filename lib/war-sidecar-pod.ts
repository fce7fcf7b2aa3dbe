import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { addContainer, checkContainerOptions } from './_pod/container';
import { addProbes, checkOwnedWorkloadProps, checkProbes, ContainerProbes, createPatternWorkload, OwnedWorkloadProps, readinessHttpGet } from './_owned-workload';
import { PATTERN_ROLES } from './_pod/labels';
import { checkPatternPodProps, PatternPodProps } from './_pod/pod';
import { declarePodSecurity } from './_pod/inject';
import { WAR_SIDECAR_POD_SHAPE } from './_pod/prop-types';
import { assertPropTypes, Problems, RULES } from './_pod/rules';
import { ContainerSecurityOptions, declaredLevel, DEFAULT_RESOURCES, Hardening, ResourceOptions } from './_pod/security';

/**
 * Props of a {@link WarSidecarPod}. Its `readiness` (from ContainerProbes) defaults to GET
 * `<context path>/` on containerPort (the war's file name: `/sample.war` → `/sample/`, `ROOT.war` →
 * `/`), every 5 s after 5 s, 2 s timeout, 3 failures ({@link warReadinessProbe}): the pod gets
 * Service traffic only once the war is deployed and answers.
 */
export interface WarSidecarPodProps extends PatternPodProps, OwnedWorkloadProps, ContainerProbes {
  /** The image that carries the web archive (the seed: `resouer/sample:v2`), pinned. */
  readonly artifactImage: string;
  /** Absolute path of the .war file inside the artifact image (the seed: `/sample.war`). */
  readonly artifactPath: string;
  /**
   * Where the init container mounts the shared emptyDir and copies the artifact to.
   * @default '/app'
   */
  readonly copyDestination?: string;
  /**
   * The application server image. It versions independently of the artifact image.
   * @default DEFAULT_APP_SERVER_IMAGE ('tomcat:9.0.98-jre17', runs as any non-root user)
   */
  readonly appImage?: string;
  /**
   * The directory the application server deploys archives from; the emptyDir is mounted there.
   * @default '/usr/local/tomcat/webapps'
   */
  readonly webappsPath?: string;
  /**
   * The command that starts the application server (the seed: `sh -c /root/apache-tomcat-7.0.42-v2/bin/start.sh`).
   * @default - the image's own entrypoint (`catalina.sh run` for the official Tomcat image)
   */
  readonly startCommand?: string[];
  /**
   * The port the application server listens on.
   * @default 8080
   */
  readonly containerPort?: number;
  /**
   * Also expose the port on the node (the seed: 8001). The pod then declares `privileged`.
   * @default - none
   */
  readonly hostPort?: number;
  /**
   * Paths the application server writes to, each given an emptyDir (the root filesystem is read-only).
   * @default - Tomcat's logs, temp, work and conf/Catalina under /usr/local/tomcat, and /tmp, when appImage is the default; none otherwise
   */
  readonly writablePaths?: string[];
  /**
   * Resources of the application server container.
   * @default - 250m CPU and 512Mi memory requested, 512Mi memory limit
   */
  readonly appResources?: ResourceOptions;
  /**
   * Security settings of the application server container.
   * @default - the pod's non-root user, read-only root filesystem, ALL capabilities dropped
   */
  readonly appSecurityContext?: ContainerSecurityOptions;
  /**
   * Name of the artifact (init) container.
   * @default 'war'
   */
  readonly artifactContainerName?: string;
  /**
   * Name of the application server container.
   * @default 'tomcat'
   */
  readonly appContainerName?: string;
}

/** The context path Tomcat deploys a war under: its file name without `.war` (`ROOT.war` is `/`). */
export function warContextPath(artifactPath: string): string {
  const file = artifactPath.split('/').pop() ?? '';
  const stem = file.replace(/\.war$/i, '');
  return stem === 'ROOT' || stem === '' ? '/' : `/${stem}/`;
}

/** The default readiness probe of a WarSidecarPod: GET the war's context path on the app port. */
export function warReadinessProbe(artifactPath: string, port: number): kplus.Probe {
  return readinessHttpGet(warContextPath(artifactPath), port);
}

/** The default application server image: official Tomcat 9 (javax servlet API), Java 17. */
export const DEFAULT_APP_SERVER_IMAGE = 'tomcat:9.0.98-jre17';
/** The official Tomcat image's CATALINA_HOME. */
export const TOMCAT_HOME = '/usr/local/tomcat';
/** What Tomcat writes at run time, for the default image. */
export const TOMCAT_WRITABLE_PATHS: readonly string[] = [`${TOMCAT_HOME}/conf/Catalina`, `${TOMCAT_HOME}/logs`, `${TOMCAT_HOME}/temp`, `${TOMCAT_HOME}/work`, '/tmp'];

/** The props that set the artifact container's fields, for error messages. */
const ARTIFACT_PROPS: Record<string, string> = { name: 'artifactContainerName', image: 'artifactImage' };
/** The props that set the application server container's fields, for error messages. */
const APP_PROPS: Record<string, string> = {
  'name': 'appContainerName',
  'image': 'appImage',
  'ports[0].number': 'containerPort',
  'ports[0].hostPort': 'hostPort',
};

/**
 * The init-container pattern: an init container copies a .war from its image into an emptyDir,
 * and the application server serves it from its webapps directory. The application server image
 * and the artifact image version independently.
 */
export class WarSidecarPod extends Construct {
  /** The default application server image (the TypeScript `DEFAULT_APP_SERVER_IMAGE`). */
  public static readonly DEFAULT_APP_SERVER_IMAGE: string = DEFAULT_APP_SERVER_IMAGE;

  /** Tomcat's home directory in the default image (the TypeScript `TOMCAT_HOME`). */
  public static readonly TOMCAT_HOME: string = TOMCAT_HOME;

  /** The paths Tomcat writes to (the TypeScript `TOMCAT_WRITABLE_PATHS`). */
  public static readonly TOMCAT_WRITABLE_PATHS: string[] = [...TOMCAT_WRITABLE_PATHS];

  /**
   * The cdk8s-plus workload: a Pod, or the Deployment or StatefulSet of `workloadKind`;
   * `ApiObject.of(pod)` reaches the Kubernetes object.
   */
  public readonly pod: kplus.AbstractPod;
  /** The Kubernetes recommended labels on the pod (`app.kubernetes.io/*`). */
  public readonly labels: Readonly<Record<string, string>>;
  /** The emptyDir the artifact is copied into. */
  public readonly volume: kplus.Volume;
  /** The init container that copies the artifact. */
  public readonly artifactContainer: kplus.Container;
  /** The application server container. */
  public readonly appContainer: kplus.Container;
  /** The resolved application server image. */
  public readonly appImage: string;
  /** The resolved port the application server listens on. */
  public readonly containerPort: number;

  constructor(scope: Construct, id: string, props: WarSidecarPodProps) {
    super(scope, id);
    assertPropTypes(this.node.path, props, WAR_SIDECAR_POD_SHAPE);
    const problems = new Problems();
    checkPatternPodProps(problems, props);
    checkOwnedWorkloadProps(problems, props, 1);
    const hardening = props.hardening ?? Hardening.RESTRICTED;
    this.appImage = props.appImage ?? DEFAULT_APP_SERVER_IMAGE;
    this.containerPort = props.containerPort ?? 8080;
    const copyDestination = props.copyDestination ?? '/app';
    const webappsPath = props.webappsPath ?? `${TOMCAT_HOME}/webapps`;
    const writablePaths = props.writablePaths ?? (this.appImage === DEFAULT_APP_SERVER_IMAGE ? [...TOMCAT_WRITABLE_PATHS] : []);
    const artifactName = props.artifactContainerName ?? 'war';
    const appName = props.appContainerName ?? 'tomcat';

    problems.check('artifactPath', props.artifactPath, RULES.absolutePath);
    if (problems.check('copyDestination', copyDestination, RULES.absolutePath)) problems.check('copyDestination', copyDestination, RULES.notRoot);
    if (problems.check('webappsPath', webappsPath, RULES.absolutePath)) problems.check('webappsPath', webappsPath, RULES.notRoot);
    if (props.startCommand !== undefined) problems.check('startCommand', props.startCommand, RULES.nonEmptyList);
    if (writablePaths.includes(webappsPath)) problems.add('writablePaths', writablePaths, `paths other than webappsPath ${JSON.stringify(webappsPath)}, which the artifact volume already makes writable`);
    const artifact = { name: artifactName, image: props.artifactImage, command: ['cp', props.artifactPath, copyDestination] };
    const app = {
      name: appName,
      image: this.appImage,
      command: props.startCommand,
      ports: [{ number: this.containerPort, name: 'http', hostPort: props.hostPort }],
      resources: props.appResources,
      securityContext: props.appSecurityContext,
      writablePaths,
    };
    checkContainerOptions(problems, (f) => ARTIFACT_PROPS[f] ?? `artifact.${f}`, artifact);
    checkContainerOptions(problems, (f) => APP_PROPS[f] ?? f.replace(/^resources/, 'appResources').replace(/^securityContext/, 'appSecurityContext'), app);
    if (artifactName === appName) problems.add('appContainerName', appName, `a name other than artifactContainerName ${JSON.stringify(artifactName)}`);
    const readiness = props.readiness ?? (typeof props.artifactPath === 'string' && RULES.port.test(this.containerPort) ? warReadinessProbe(props.artifactPath, this.containerPort) : undefined);
    const probes = checkProbes(problems, (f) => f, { readiness, liveness: props.liveness, startup: props.startup }, [this.containerPort]);
    problems.throwIfAny(this.node.path);

    const created = createPatternWorkload(this, props, PATTERN_ROLES.warSidecarPod, [{ number: this.containerPort, name: 'http' }]);
    this.pod = created.workload;
    this.labels = created.labels;
    this.volume = kplus.Volume.fromEmptyDir(this, 'Volume', 'app-volume', { sizeLimit: Size.mebibytes(256) });
    this.pod.addVolume(this.volume);
    this.artifactContainer = addContainer(this, this.pod, artifact, {
      placement: 'init',
      hardening,
      defaultResources: DEFAULT_RESOURCES.task,
      podIds: props.securityContext,
    });
    this.artifactContainer.mount(copyDestination, this.volume);
    this.appContainer = addContainer(this, this.pod, app, {
      placement: 'container',
      hardening,
      defaultResources: DEFAULT_RESOURCES.jvmServer,
      podIds: props.securityContext,
    });
    this.appContainer.mount(webappsPath, this.volume);
    addProbes(this.pod, appName, probes);

    declarePodSecurity(this.pod, declaredLevel({
      hardening,
      hostPort: props.hostPort !== undefined,
      addedCapabilities: props.appSecurityContext?.addCapabilities,
    }));
  }
}
