/**
 * How a LogSidecar's Fluent Bit agent parses each line: {@link LogParser} and its options, and
 * their checks.
 *
 * @see https://docs.fluentbit.io/manual/pipeline/parsers/configuring-parser
 */
import { Problems } from '../_pod/rules';
import { FLUENT_BIT_RULES, namedGroups } from './fluent-bit-rules';

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

/** The parser formats (Fluent Bit's `Format`). */
export enum LogParserFormat {
  /** No parsing: the line becomes the field `log`. */
  NONE = 'none',
  /** Each line is a JSON object. */
  JSON = 'json',
  /** A regular expression with named groups. */
  REGEX = 'regex',
}

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

  /** The parser's Fluent Bit `Format`. */
  public readonly format: LogParserFormat;

  /** @internal */
  public readonly _spec: ParserSpec;

  private constructor(spec: ParserSpec) {
    this._spec = spec;
    this.format = spec.format as LogParserFormat;
  }

  /** The parser as JSON, as error messages show it (e.g. `{"format":"json"}`). */
  public toJSON(): any {
    return this._spec;
  }
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

