/**
 * Where a LogSidecar's Fluent Bit agent sends records: {@link LogOutput} and its options, and
 * their checks.
 *
 * @see https://docs.fluentbit.io/manual/pipeline/outputs
 */
import { Problems, RULES } from '../_pod/rules';
import { FLUENT_BIT_RULES } from './fluent-bit-rules';

/** The record formats of the stdout output. */
export enum StdoutFormat {
  /** One JSON object per line. */
  JSON_LINES = 'json_lines',
  /** A JSON array per flush. */
  JSON = 'json',
  /** MessagePack. */
  MSGPACK = 'msgpack',
}

/** Options of {@link LogOutput.stdout}. */
export interface StdoutOutputOptions {
  /**
   * The record format.
   * @default StdoutFormat.JSON_LINES
   */
  readonly format?: StdoutFormat;
}

/** Options of {@link LogOutput.forward}: Fluentd or Fluent Bit over the Forward protocol. */
export interface ForwardOutputOptions {
  /** The receiver's DNS name or IPv4 address, e.g. "fluentd.logging.svc.cluster.local". */
  readonly host: string;
  /**
   * The receiver's TCP port.
   * @default 24224
   */
  readonly port?: number;
  /**
   * Use TLS (Secure Forward).
   * @default false
   */
  readonly tls?: boolean;
}

/** Options of {@link LogOutput.elasticsearch}: Elasticsearch (or OpenSearch) with the `es` output. */
export interface ElasticsearchOutputOptions {
  /** The Elasticsearch DNS name or IPv4 address. */
  readonly host: string;
  /**
   * The Elasticsearch HTTP port.
   * @default 9200
   */
  readonly port?: number;
  /**
   * The index.
   * @default 'fluent-bit'
   */
  readonly index?: string;
  /**
   * Leave out the mapping type, which Elasticsearch 8 rejects; set false only for Elasticsearch 6.
   * @default true
   */
  readonly suppressTypeName?: boolean;
  /**
   * Use HTTPS.
   * @default false
   */
  readonly tls?: boolean;
}

/** The output as plain data (internal: the config renderer and the checks read it). */
export type OutputSpec =
  | ({ readonly type: 'stdout' } & StdoutOutputOptions)
  | ({ readonly type: 'forward' } & ForwardOutputOptions)
  | ({ readonly type: 'elasticsearch' } & ElasticsearchOutputOptions);

/** The kinds of output. */
export enum LogOutputKind {
  /** The agent's standard output. */
  STDOUT = 'stdout',
  /** Fluentd or Fluent Bit over the Forward protocol. */
  FORWARD = 'forward',
  /** Elasticsearch or OpenSearch. */
  ELASTICSEARCH = 'elasticsearch',
}

/**
 * Where the agent sends records: `LogOutput.stdout()`, `LogOutput.forward({...})` or
 * `LogOutput.elasticsearch({...})`.
 * @see https://docs.fluentbit.io/manual/pipeline/outputs
 */
export class LogOutput {
  /** Print records on the agent's standard output (`kubectl logs POD -c fluent-bit`). */
  public static stdout(options: StdoutOutputOptions = {}): LogOutput {
    return new LogOutput({ ...options, type: 'stdout' });
  }

  /** Send records to Fluentd or Fluent Bit over the Forward protocol. */
  public static forward(options: ForwardOutputOptions): LogOutput {
    return new LogOutput({ ...options, type: 'forward' });
  }

  /** Index records into Elasticsearch (or OpenSearch). */
  public static elasticsearch(options: ElasticsearchOutputOptions): LogOutput {
    return new LogOutput({ ...options, type: 'elasticsearch' });
  }

  /** The output's kind. */
  public readonly kind: LogOutputKind;

  /** @internal */
  public readonly _spec: OutputSpec;

  private constructor(spec: OutputSpec) {
    this._spec = spec;
    this.kind = spec.type as LogOutputKind;
  }

  /** The output as JSON, as error messages show it (e.g. `{"type":"stdout"}`). */
  public toJSON(): any {
    return this._spec;
  }
}

/** Default port of the `forward` output (Fluentd's and Fluent Bit's Forward listener). */
export const DEFAULT_FORWARD_PORT = 24224;
/** Default port of the `elasticsearch` output (Elasticsearch's HTTP port). */
export const DEFAULT_ELASTICSEARCH_PORT = 9200;
/** Default index of the `elasticsearch` output. */
export const DEFAULT_ELASTICSEARCH_INDEX = 'fluent-bit';

/** Validates the output option into `problems`, naming it `prop`. */
export function checkOutput(problems: Problems, prop: string, given: LogOutput): void {
  if (!(given instanceof LogOutput)) {
    problems.add(prop, given, 'LogOutput.stdout({...}), LogOutput.forward({...}) or LogOutput.elasticsearch({...})');
    return;
  }
  const o = given._spec;
  if (o.type === 'stdout') {
    const formats: readonly string[] = Object.values(StdoutFormat);
    if (o.format !== undefined && !formats.includes(o.format)) {
      problems.add(`${prop}.format`, o.format, `one of ${formats.map((f) => JSON.stringify(f)).join(', ')}`);
    }
    return;
  }
  problems.check(`${prop}.host`, o.host, FLUENT_BIT_RULES.host);
  if (o.port !== undefined) problems.check(`${prop}.port`, o.port, RULES.port);
  if (o.type === 'elasticsearch' && o.index !== undefined) problems.check(`${prop}.index`, o.index, FLUENT_BIT_RULES.esIndex);
}
