/**
 * The pure generator of a LogSidecar's Fluent Bit configuration files (classic format), and the
 * paths of the official image it runs in.
 *
 * @see https://docs.fluentbit.io/manual/administration/configuring-fluent-bit/classic-mode/format-schema
 */
import { Duration } from 'cdk8s';
import { LogOutput, OutputSpec, DEFAULT_ELASTICSEARCH_INDEX, DEFAULT_ELASTICSEARCH_PORT, DEFAULT_FORWARD_PORT } from './fluent-bit-output';
import { LogParser, ParserTimeOptions } from './fluent-bit-parser';

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
  /**
   * How often the agent flushes records to the output (`Flush`).
   * @default Duration.seconds(1)
   */
  readonly flushInterval?: Duration;
  /**
   * How often each tail input looks at its path again (`Refresh_Interval`).
   * @default Duration.seconds(5)
   */
  readonly refreshInterval?: Duration;
}

/** The agent's default flush interval, in seconds. */
export const DEFAULT_FLUENT_BIT_FLUSH_SECONDS = 1;
/** The tail inputs' default refresh interval, in seconds. */
export const DEFAULT_FLUENT_BIT_REFRESH_SECONDS = 5;
const seconds = (d: Duration | undefined, byDefault: number) => String(d === undefined ? byDefault : d.toSeconds({ integral: false }));
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
    ['Flush', seconds(options.flushInterval, DEFAULT_FLUENT_BIT_FLUSH_SECONDS)],
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
      ['Refresh_Interval', seconds(options.refreshInterval, DEFAULT_FLUENT_BIT_REFRESH_SECONDS)],
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
