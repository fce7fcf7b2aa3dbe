/**
 * The Fluent Bit agent of a LogSidecar: its typed options, their validation and the pure
 * generator of its classic-format configuration files.
 *
 * @see https://docs.fluentbit.io/manual/administration/configuring-fluent-bit/classic-mode/format-schema
 */
import { Problems, RULES } from './_pod/rules';

/** The directory the official Fluent Bit image reads its configuration from. */
export const FLUENT_BIT_CONFIG_DIR = '/fluent-bit/etc';
/** The main configuration file (the image's default `-c` argument). */
export const FLUENT_BIT_CONFIG_FILE = 'fluent-bit.conf';
/** The parsers file, referenced from the `[SERVICE]` section. */
export const FLUENT_BIT_PARSERS_FILE = 'parsers.conf';
/** Where the tail inputs keep their offset databases (an emptyDir: the root filesystem is read-only). */
export const FLUENT_BIT_DB_DIR = '/fluent-bit/db';
/** The Fluent Bit binary in the official image. */
export const FLUENT_BIT_BINARY = '/fluent-bit/bin/fluent-bit';
/** The name of the parser the generated configuration defines. */
export const FLUENT_BIT_PARSER_NAME = 'log-sidecar';
/** Memory each tail input may buffer before it pauses (Fluent Bit unit size). */
export const FLUENT_BIT_MEM_BUF_LIMIT = '5MB';

/** Options shared by the json and regex parsers: how the record's time is read. */
export interface ParserTimeOptions {
  /**
   * The field holding the record's timestamp.
   * @default - none: the time the line was read
   */
  readonly timeKey?: string;
  /**
   * The `strptime(3)` format of the time field (`%L` for fractional seconds); needs `timeKey`.
   * @default - none
   */
  readonly timeFormat?: string;
  /**
   * Keep the time field in the record after parsing it; needs `timeKey`.
   * @default false
   */
  readonly timeKeep?: boolean;
}

/** The types a regex parser can convert captured fields to. */
export enum ParserFieldType {
  /** Keep the text. */
  STRING = 'string',
  /** An integer. */
  INTEGER = 'integer',
  /** `true` or `false`. */
  BOOL = 'bool',
  /** A floating-point number. */
  FLOAT = 'float',
  /** A hexadecimal integer. */
  HEX = 'hex',
}
const FIELD_TYPES: readonly string[] = Object.values(ParserFieldType);

/**
 * Options of {@link LogParser.regex}: each line matches a Ruby (Onigmo) regular expression whose
 * named groups (`(?<name>...)`, names of letters, digits and "_") become the record's fields.
 * @see https://docs.fluentbit.io/manual/pipeline/parsers/regular-expression
 */
export interface RegexParserOptions extends ParserTimeOptions {
  /** The regular expression, on one line, with at least one named group. */
  readonly regex: string;
  /**
   * Types of captured fields, by group name.
   * @default - every field is a string
   */
  readonly types?: { [field: string]: ParserFieldType };
}

/** The parser as plain data (internal: the config renderer and the checks read it). */
export type ParserSpec =
  | { readonly format: 'none' }
  | ({ readonly format: 'json' } & ParserTimeOptions)
  | ({ readonly format: 'regex' } & RegexParserOptions);

/**
 * How the agent parses each log line: `LogParser.none()`, `LogParser.json({...})` or
 * `LogParser.regex({...})`.
 * @see https://docs.fluentbit.io/manual/pipeline/parsers/configuring-parser
 */
export class LogParser {
  /** Parse nothing: each line becomes a record with the line under the key `log`. */
  public static none(): LogParser {
    return new LogParser({ format: 'none' });
  }

  /** Each line is a JSON object. */
  public static json(options: ParserTimeOptions = {}): LogParser {
    return new LogParser({ ...options, format: 'json' });
  }

  /** Each line matches a regular expression whose named groups become the record's fields. */
  public static regex(options: RegexParserOptions): LogParser {
    return new LogParser({ ...options, format: 'regex' });
  }

  /** The parser's Fluent Bit `Format`: "none", "json" or "regex". */
  public readonly format: string;

  /** @internal */
  public readonly _spec: ParserSpec;

  private constructor(spec: ParserSpec) {
    this._spec = spec;
    this.format = spec.format;
  }

  /** The parser as JSON, as error messages show it (e.g. `{"format":"json"}`). */
  public toJSON(): any {
    return this._spec;
  }
}

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

  /** The output's kind: "stdout", "forward" or "elasticsearch". */
  public readonly kind: string;

  /** @internal */
  public readonly _spec: OutputSpec;

  private constructor(spec: OutputSpec) {
    this._spec = spec;
    this.kind = spec.type;
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

/** One file the agent tails. */
export interface FluentBitInput {
  /** Absolute path of the file. */
  readonly path: string;
  /** A DNS-label-like id unique among the inputs: the tag suffix and the offset database name. */
  readonly id: string;
}

/** Everything the configuration is generated from. */
export interface FluentBitConfigOptions {
  /** The files to tail. */
  readonly inputs: FluentBitInput[];
  /** The first part of every tag (`<tagPrefix>.<id>`); outputs match `<tagPrefix>.*`. */
  readonly tagPrefix: string;
  /** How lines are parsed. */
  readonly parser: LogParser;
  /** Where records go. */
  readonly output: LogOutput;
  /**
   * Directory of the offset databases (one per input); undefined for none.
   * @default - no databases
   */
  readonly dbDirectory?: string;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const NAMED_GROUP = /\(\?<([^=!>][^>]*)>/g;

/** The rules of the agent's own props (the shared table has none that fit). */
export const FLUENT_BIT_RULES = {
  host: {
    test: (v: unknown) => typeof v === 'string' && (/^[\d.]+$/.test(v) ? IPV4.test(v) : RULES.dnsSubdomain.test(v)),
    expected: 'a DNS name (a DNS-1123 subdomain such as "fluentd.logging.svc.cluster.local") or an IPv4 address',
  },
  tagPrefix: {
    test: (v: unknown) => typeof v === 'string' && /^[A-Za-z0-9_-]{1,32}$/.test(v),
    expected: '1-32 letters, digits, "_" or "-"',
  },
  esIndex: {
    test: (v: unknown) => typeof v === 'string' && v.length <= 255 && /^[a-z0-9][a-z0-9._-]*$/.test(v),
    expected: 'an Elasticsearch index name: at most 255 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit',
  },
  fieldName: {
    test: (v: unknown) => typeof v === 'string' && /^[A-Za-z0-9_]+$/.test(v),
    expected: 'a field name of letters, digits or "_"',
  },
  singleLine: {
    test: (v: unknown) => typeof v === 'string' && v.trim().length > 0 && !/[\r\n]/.test(v),
    expected: 'a non-empty value on one line',
  },
} as const;

/** The names of a regular expression's named groups, in order. */
export function namedGroups(regex: string): string[] {
  return [...regex.matchAll(NAMED_GROUP)].map((m) => m[1]);
}

/** Validates the parser option into `problems`, naming it `prop`. */
export function checkParser(problems: Problems, prop: string, given: LogParser): void {
  if (!(given instanceof LogParser)) {
    problems.add(prop, given, 'LogParser.none(), LogParser.json({...}) or LogParser.regex({...})');
    return;
  }
  const p = given._spec;
  if (p.format === 'none') return;
  if (p.timeKey !== undefined) problems.check(`${prop}.timeKey`, p.timeKey, FLUENT_BIT_RULES.fieldName);
  if (p.timeFormat !== undefined) {
    if (problems.check(`${prop}.timeFormat`, p.timeFormat, FLUENT_BIT_RULES.singleLine) && p.timeKey === undefined) {
      problems.add(`${prop}.timeFormat`, p.timeFormat, 'unset unless timeKey is set');
    }
  }
  if (p.timeKeep !== undefined && p.timeKey === undefined) problems.add(`${prop}.timeKeep`, p.timeKeep, 'unset unless timeKey is set');
  if (p.format !== 'regex') return;
  if (!problems.check(`${prop}.regex`, p.regex, FLUENT_BIT_RULES.singleLine)) return;
  const groups = namedGroups(p.regex);
  if (groups.length === 0) {
    problems.add(`${prop}.regex`, p.regex, 'a regular expression with at least one named group such as (?<message>.*)');
    return;
  }
  for (const g of groups) {
    if (!FLUENT_BIT_RULES.fieldName.test(g)) problems.add(`${prop}.regex`, p.regex, `group names of letters, digits or "_" only (Onigmo rejects ${JSON.stringify(g)})`);
  }
  for (const [field, type] of Object.entries(p.types ?? {})) {
    if (!groups.includes(field)) problems.add(`${prop}.types`, field, `the name of a group of the regex (${groups.map((g) => JSON.stringify(g)).join(', ')})`);
    if (!FIELD_TYPES.includes(type as string)) problems.add(`${prop}.types[${JSON.stringify(field)}]`, type, `one of ${FIELD_TYPES.map((t) => JSON.stringify(t)).join(', ')}`);
  }
  if (p.timeKey !== undefined && !groups.includes(p.timeKey)) {
    problems.add(`${prop}.timeKey`, p.timeKey, `the name of a group of the regex (${groups.map((g) => JSON.stringify(g)).join(', ')})`);
  }
}

/** Validates the output option into `problems`, naming it `prop`. */
export function checkOutput(problems: Problems, prop: string, given: LogOutput): void {
  if (!(given instanceof LogOutput)) {
    problems.add(prop, given, 'LogOutput.stdout({...}), LogOutput.forward({...}) or LogOutput.elasticsearch({...})');
    return;
  }
  const o = given._spec;
  if (o.type === 'stdout') {
    if (o.format !== undefined && !['json_lines', 'json', 'msgpack'].includes(o.format)) {
      problems.add(`${prop}.format`, o.format, 'one of "json_lines", "json", "msgpack"');
    }
    return;
  }
  problems.check(`${prop}.host`, o.host, FLUENT_BIT_RULES.host);
  if (o.port !== undefined) problems.check(`${prop}.port`, o.port, RULES.port);
  if (o.type === 'elasticsearch' && o.index !== undefined) problems.check(`${prop}.index`, o.index, FLUENT_BIT_RULES.esIndex);
}

type Entry = readonly [key: string, value: string];

/** Renders one section: `[NAME]`, then each entry indented by four spaces, values aligned. */
function section(name: string, entries: readonly Entry[]): string {
  const width = Math.max(...entries.map(([k]) => k.length)) + 1;
  return [`[${name}]`, ...entries.map(([k, v]) => `    ${k.padEnd(width)}${v}`)].join('\n');
}

const onOff = (b: boolean) => (b ? 'On' : 'Off');

function timeEntries(p: ParserTimeOptions): Entry[] {
  const out: Entry[] = [];
  if (p.timeKey !== undefined) out.push(['Time_Key', p.timeKey]);
  if (p.timeFormat !== undefined) out.push(['Time_Format', p.timeFormat]);
  if (p.timeKeep !== undefined) out.push(['Time_Keep', onOff(p.timeKeep)]);
  return out;
}

function outputEntries(o: OutputSpec, match: string): Entry[] {
  switch (o.type) {
    case 'stdout':
      return [['Name', 'stdout'], ['Match', match], ['Format', o.format ?? 'json_lines']];
    case 'forward':
      return [
        ['Name', 'forward'], ['Match', match], ['Host', o.host], ['Port', String(o.port ?? DEFAULT_FORWARD_PORT)],
        ...(o.tls ? [['tls', 'On'] as const] : []),
      ];
    case 'elasticsearch':
      return [
        ['Name', 'es'], ['Match', match], ['Host', o.host], ['Port', String(o.port ?? DEFAULT_ELASTICSEARCH_PORT)],
        ['Index', o.index ?? DEFAULT_ELASTICSEARCH_INDEX], ['Suppress_Type_Name', onOff(o.suppressTypeName ?? true)],
        ...(o.tls ? [['tls', 'On'] as const] : []),
      ];
  }
}

/**
 * Generates the agent's configuration in Fluent Bit's classic format: a `[SERVICE]` section, one
 * `tail` `[INPUT]` per file (read from the head, long lines skipped, memory bounded, offsets in
 * `dbDirectory`), one `[OUTPUT]`, and, for the json and regex parsers, a parsers file with one
 * `[PARSER]`. Pure and deterministic: returns ConfigMap data, file name to content.
 *
 * @see https://docs.fluentbit.io/manual/administration/configuring-fluent-bit/classic-mode/configuration-file
 * @see https://docs.fluentbit.io/manual/pipeline/inputs/tail
 */
export function fluentBitConfig(options: FluentBitConfigOptions): Record<string, string> {
  const o = { ...options, parser: options.parser._spec, output: options.output._spec };
  const parsed = o.parser.format !== 'none';
  const service: Entry[] = [
    ['Flush', '1'],
    ['Daemon', 'Off'],
    ['Log_Level', 'info'],
    ['HTTP_Server', 'Off'],
    ...(parsed ? [['Parsers_File', `${FLUENT_BIT_CONFIG_DIR}/${FLUENT_BIT_PARSERS_FILE}`] as const] : []),
  ];
  const sections = [section('SERVICE', service)];
  for (const input of o.inputs) {
    const entries: Entry[] = [
      ['Name', 'tail'],
      ['Tag', `${o.tagPrefix}.${input.id}`],
      ['Path', input.path],
      ['Read_from_Head', 'On'],
      ['Refresh_Interval', '5'],
      ['Skip_Long_Lines', 'On'],
      ['Mem_Buf_Limit', FLUENT_BIT_MEM_BUF_LIMIT],
    ];
    if (o.dbDirectory !== undefined) entries.push(['DB', `${o.dbDirectory}/${input.id}.db`], ['DB.locking', 'true']);
    if (parsed) entries.push(['Parser', FLUENT_BIT_PARSER_NAME]);
    sections.push(section('INPUT', entries));
  }
  sections.push(section('OUTPUT', outputEntries(o.output, `${o.tagPrefix}.*`)));
  const files: Record<string, string> = { [FLUENT_BIT_CONFIG_FILE]: `${sections.join('\n\n')}\n` };

  if (o.parser.format === 'json') {
    files[FLUENT_BIT_PARSERS_FILE] = `${section('PARSER', [['Name', FLUENT_BIT_PARSER_NAME], ['Format', 'json'], ...timeEntries(o.parser)])}\n`;
  } else if (o.parser.format === 'regex') {
    const types = Object.entries(o.parser.types ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    files[FLUENT_BIT_PARSERS_FILE] = `${section('PARSER', [
      ['Name', FLUENT_BIT_PARSER_NAME],
      ['Format', 'regex'],
      ['Regex', o.parser.regex],
      ...timeEntries(o.parser),
      ...(types.length > 0 ? [['Types', types.map(([f, t]) => `${f}:${t}`).join(' ')] as const] : []),
    ])}\n`;
  }
  return files;
}
