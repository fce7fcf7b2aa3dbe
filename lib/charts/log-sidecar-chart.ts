import { Chart, ChartProps, Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { recommendedLabels } from '../_pod/labels';
import { hardenContainer } from '../harden';
import { DEFAULT_LOG_STREAMER_IMAGE, LogOutput, LogParser, LogRotation, LogShipping, LogSidecar, ParserFieldType } from '../log-sidecar';
import { NGINX_UNPRIVILEGED_ID } from './hardened-chart';
import { setKubernetesVersion } from '../_pod/version';
import { nginxDeployment } from './apps';
import { stoppableSteps } from './shell';
import { KubernetesVersion } from '../synth/schema';

/** Where nginx writes `access.log` and `error.log` (in the image they are links to stdout and stderr; the emptyDir replaces them with files). */
export const NGINX_LOG_DIRECTORY = '/var/log/nginx';

/**
 * nginx's default `main` access log format as a Fluent Bit regex parser (the expression of the
 * `nginx` parser in Fluent Bit's own conf/parsers.conf, with typed status and size).
 */
export const NGINX_ACCESS_LOG_PARSER: LogParser = LogParser.regex({ regex: '^(?<remote>[^ ]*) (?<host>[^ ]*) (?<user>[^ ]*) \\[(?<time>[^\\]]*)\\] "(?<method>\\S+)(?: +(?<path>[^\\"]*?)(?: +\\S*)?)?" (?<code>[^ ]*) (?<size>[^ ]*)(?: "(?<referer>[^\\"]*)" "(?<agent>[^\\"]*)")',
  timeKey: 'time',
  timeFormat: '%d/%b/%Y:%H:%M:%S %z',
  types: { code: ParserFieldType.INTEGER, size: ParserFieldType.INTEGER } });

/** The batch Job's log file, and the shell script that writes it (one line a second, then exits; on SIGTERM at once, 143). */
export const REPORT_LOG_DIRECTORY = '/var/log/report';
export const REPORT_LOG_FILE = 'report.log';
export const REPORT_JOB_SCRIPT = stoppableSteps([1, 2, 3, 4, 5].flatMap((i) => [`echo "step ${i} of 5" >> ${REPORT_LOG_DIRECTORY}/${REPORT_LOG_FILE}`, 'sleep 1']));

/**
 * The logging sidecar pattern on Kubernetes 1.27 workloads:
 * - `web-logs`: nginx writes access.log and error.log into a shared emptyDir; two BusyBox
 *   streamers print them (`kubectl logs <pod> -c log-access`, `-c log-error`).
 * - `web-shipped-logs`: the same nginx, its access log parsed by a Fluent Bit agent with nginx's
 *   regex and printed as JSON lines (`kubectl logs <pod> -c fluent-bit`); the log is rotated at
 *   50 MiB, 3 copies kept, nginx reopening it on USR1 (the pod shares its process namespace), so
 *   it stays within the log volume's 512Mi.
 */
export class LogSidecarChart extends Chart {
  public readonly web: kplus.Deployment;
  public readonly webLogs: LogSidecar;
  public readonly shipped: kplus.Deployment;
  public readonly shippedLogs: LogSidecar;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    this.web = nginxDeployment(this, 'web', 'web-logs');
    this.webLogs = new LogSidecar(this, 'web-streams', {
      workload: this.web,
      appContainerName: 'nginx',
      logDirectory: NGINX_LOG_DIRECTORY,
      logFiles: ['access.log', 'error.log'],
    });

    this.shipped = nginxDeployment(this, 'web-shipped', 'web-shipped-logs');
    this.shippedLogs = new LogSidecar(this, 'web-agent', {
      workload: this.shipped,
      appContainerName: 'nginx',
      shipping: LogShipping.fluentBit({ tagPrefix: 'nginx', parser: NGINX_ACCESS_LOG_PARSER, output: LogOutput.stdout() }),
      logDirectory: NGINX_LOG_DIRECTORY,
      logFiles: ['access.log'],
      rotation: LogRotation.signal({ maxSize: Size.mebibytes(50), keep: 3, appUser: NGINX_UNPRIVILEGED_ID, processName: 'nginx' }),
    });
  }
}

/**
 * The logging sidecar on a batch Job, Kubernetes 1.29: the streamer is a native sidecar (an init
 * container with `restartPolicy: Always`), so it starts before the job's container, streams its
 * log while it runs, and is stopped once the job's container has finished: the Job completes.
 */
export class LogSidecarJobChart extends Chart {
  public readonly job: kplus.Job;
  public readonly logs: LogSidecar;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    setKubernetesVersion(this, KubernetesVersion.V1_29);
    this.job = new kplus.Job(this, 'report', {
      metadata: { name: 'report', labels: recommendedLabels(this, { name: 'report', component: 'batch-job' }) },
      backoffLimit: 2,
      containers: [{
        name: 'report',
        image: DEFAULT_LOG_STREAMER_IMAGE,
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        command: ['sh', '-c', REPORT_JOB_SCRIPT],
        resources: {
          cpu: { request: kplus.Cpu.millis(10) },
          memory: { request: Size.mebibytes(16), limit: Size.mebibytes(32) },
        },
      }],
    });
    hardenContainer(this.job, 'report');
    this.logs = new LogSidecar(this, 'report-stream', {
      workload: this.job,
      logDirectory: REPORT_LOG_DIRECTORY,
      logFiles: [REPORT_LOG_FILE],
      nativeSidecar: true,
    });
  }
}

