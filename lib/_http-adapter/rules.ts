/**
 * The typed rules of an {@link HttpCompatAdapter}: URL rules (which old URL goes to which new one,
 * rewritten inside the pod or redirected at the client), header rules and JSON body rules. Each
 * is a union-like class with static factories (jsii-expressible); the construct validates them
 * and renders them into nginx + njs configuration.
 */

/** How a URL rule sends a matching request to its new URL. */
export enum UrlAction {
  /** Rewrite the URL inside the pod: the client never sees the new URL. */
  REWRITE = 'rewrite',
  /** Answer `301 Moved Permanently` with the new URL; clients may turn a POST into a GET. */
  REDIRECT_301 = 'redirect-301',
  /** Answer `308 Permanent Redirect` with the new URL; clients repeat the same method and body. */
  REDIRECT_308 = 'redirect-308',
}

/** How a URL rule matches the request path. */
export enum UrlMatch {
  /** The path equals `from`. */
  EXACT = 'exact',
  /** The path is `from` or below it, segment-wise (`/v1/users` matches `/v1/users/7`, not `/v1/usersx`). */
  PREFIX = 'prefix',
  /** The path matches a regular expression anchored with `^/`; the replacement uses `$1`..`$9`. */
  REGEX = 'regex',
}

/** HTTP methods a URL rule can be restricted to. */
export enum HttpMethod {
  /** `GET`. */
  GET = 'GET',
  /** `HEAD`. */
  HEAD = 'HEAD',
  /** `POST`. */
  POST = 'POST',
  /** `PUT`. */
  PUT = 'PUT',
  /** `PATCH`. */
  PATCH = 'PATCH',
  /** `DELETE`. */
  DELETE = 'DELETE',
  /** `OPTIONS`. */
  OPTIONS = 'OPTIONS',
}

/** What the adapter does with requests no URL rule matches. */
export enum UnmatchedRequests {
  /** Pass them to the app unchanged (headers rules still apply): the app's own new URLs keep working. */
  PASS_THROUGH = 'pass-through',
  /** Answer 404 without asking the app. */
  NOT_FOUND = 'not-found',
}

/** Which message a header rule changes. */
export enum HeaderDirection {
  /** The request, on its way from the client to the app. */
  REQUEST = 'request',
  /** The response, on its way from the app to the client. */
  RESPONSE = 'response',
}

/** What a header rule does. */
export enum HeaderOperation {
  /** Send the header under another name (the value is kept). */
  RENAME = 'rename',
  /** Set the header to a fixed value. */
  SET = 'set',
  /** Remove the header. */
  REMOVE = 'remove',
}

/** What a JSON body rule does. */
export enum JsonOperation {
  /** Move the field at `path` to `to` (same object, new name, or into/out of a nested object). */
  MOVE = 'move',
  /** Remove the field at `path`. */
  DROP = 'drop',
  /** Set the field at `path` to `value` when the body does not have it. */
  SET_DEFAULT = 'set-default',
}

/** Options of a {@link UrlRule}. */
export interface UrlRuleOptions {
  /**
   * Rewrite inside the pod, or redirect the client.
   * @default UrlAction.REWRITE
   */
  readonly action?: UrlAction;
  /**
   * The methods the old URL accepts; other methods get `405 Method Not Allowed` with an `Allow` header.
   * @default - every method
   */
  readonly methods?: HttpMethod[];
  /**
   * JSON body rules applied to the request body before it reaches the app (rewrites only).
   * @default - the body is passed unchanged (and streamed, not buffered)
   */
  readonly requestBody?: JsonRule[];
  /**
   * JSON body rules applied to 2xx JSON responses before they reach the client (rewrites only).
   * Error responses pass unchanged.
   * @default - the body is passed unchanged
   */
  readonly responseBody?: JsonRule[];
  /**
   * The old clients' content type (e.g. `application/vnd.acme.v1+json`): a request with it reaches
   * the app as `application/json`, and the app's `application/json` responses reach the client
   * with it (rewrites only).
   * @default - content types pass unchanged
   */
  readonly legacyContentType?: string;
}

/**
 * One URL mapping: an old URL (exact, prefix or regex) and the new URL it goes to. The query string
 * is always kept. Rules are tried in order (exact rules first, as in nginx); the first match wins.
 */
export class UrlRule {
  /** `from` exactly goes to `to` (e.g. `/v1/status` to `/v2/health`). */
  public static exact(from: string, to: string, options: UrlRuleOptions = {}): UrlRule {
    return new UrlRule(UrlMatch.EXACT, from, to, options);
  }

  /** `from` and every path below it go to the same path below `to` (e.g. `/v1/users/7` to `/v2/people/7`). */
  public static prefix(from: string, to: string, options: UrlRuleOptions = {}): UrlRule {
    return new UrlRule(UrlMatch.PREFIX, from, to, options);
  }

  /**
   * Paths matching `pattern` (a regular expression starting with `^/`) go to `replacement`, in
   * which `$1`..`$9` are the pattern's capture groups (e.g. `^/v1/orders/([0-9]+)/items$` to
   * `/v2/orders/$1/lines`). The replacement is a path: the query string is kept as sent.
   */
  public static regex(pattern: string, replacement: string, options: UrlRuleOptions = {}): UrlRule {
    return new UrlRule(UrlMatch.REGEX, pattern, replacement, options);
  }

  /** @param match How the path is matched. @param from The path or pattern. @param to The new path. @param options The rest. */
  private constructor(
    /** How the path is matched. */
    public readonly match: UrlMatch,
    /** The old path (or the pattern of a regex rule). */
    public readonly from: string,
    /** The new path (or replacement of a regex rule). */
    public readonly to: string,
    /** Action, methods and body rules. */
    public readonly options: UrlRuleOptions,
  ) {}

  /** How the rule sends requests. */
  public get action(): UrlAction {
    return this.options.action ?? UrlAction.REWRITE;
  }
}

/** One header change, on requests or responses. */
export class HeaderRule {
  /** The header `from` is sent as `to` instead (the value is kept). */
  public static rename(direction: HeaderDirection, from: string, to: string): HeaderRule {
    return new HeaderRule(direction, HeaderOperation.RENAME, from, to);
  }

  /** The header `name` is set to `value` (replacing the one sent on requests; added to responses). */
  public static set(direction: HeaderDirection, name: string, value: string): HeaderRule {
    return new HeaderRule(direction, HeaderOperation.SET, name, value);
  }

  /** The header `name` is removed. */
  public static remove(direction: HeaderDirection, name: string): HeaderRule {
    return new HeaderRule(direction, HeaderOperation.REMOVE, name, undefined);
  }

  /** @param direction Request or response. @param operation What it does. @param name The header. @param value New name or value. */
  private constructor(
    /** Request or response. */
    public readonly direction: HeaderDirection,
    /** What the rule does. */
    public readonly operation: HeaderOperation,
    /** The header the rule reads. */
    public readonly name: string,
    /** The new name (rename) or the value (set). */
    public readonly value?: string,
  ) {}
}

/**
 * One JSON body change. Paths are field names joined by dots (`customer.name`): objects only, no
 * array indexes. Rules apply in order; a body that is not a JSON object passes unchanged.
 */
export class JsonRule {
  /** Rename a field in the same object (`userName` to `username`). */
  public static rename(path: string, newName: string): JsonRule {
    const parent = path.includes('.') ? path.slice(0, path.lastIndexOf('.') + 1) : '';
    return new JsonRule(JsonOperation.MOVE, path, `${parent}${newName}`, undefined);
  }

  /** Move a field, into or out of a nested object (`street` to `address.street`, or back). Missing objects are created. */
  public static move(path: string, to: string): JsonRule {
    return new JsonRule(JsonOperation.MOVE, path, to, undefined);
  }

  /** Drop a field. */
  public static drop(path: string): JsonRule {
    return new JsonRule(JsonOperation.DROP, path, undefined, undefined);
  }

  /** Set a field to a JSON value (string, number, boolean, null, list or object) when it is missing. */
  public static setDefault(path: string, value: any): JsonRule {
    return new JsonRule(JsonOperation.SET_DEFAULT, path, undefined, value);
  }

  /** @param operation What it does. @param path The field. @param to Target path. @param value Default value. */
  private constructor(
    /** What the rule does. */
    public readonly operation: JsonOperation,
    /** The field it reads. */
    public readonly path: string,
    /** Where a moved field goes. */
    public readonly to: string | undefined,
    /** The default value of `setDefault`. */
    public readonly value: any,
  ) {}
}
