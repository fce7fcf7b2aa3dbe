/**
 * A small client of the real kube-apiserver that scripts/apiserver/start.sh runs: HTTPS with the
 * run's CA and bearer token (a system:masters user), discovery of every served resource (kind ->
 * resource and scope, as kubectl's REST mapper does), create for real or with server-side dry-run
 * and `fieldValidation=Strict`, and the `Warning` headers of every response, one by one.
 */
import * as fs from 'fs';
import * as https from 'https';

/** What start.sh wrote to RUN_DIR/env, from the environment (scripts/apiserver/test.sh exports it). */
export interface Connection {
  readonly url: string;
  readonly token: string;
  readonly ca: string;
}

export function connectionFromEnv(): Connection {
  const url = process.env.KUBE_API_URL;
  const token = process.env.KUBE_API_TOKEN;
  const caFile = process.env.KUBE_API_CA;
  if (!url || !token || !caFile) {
    throw new Error('KUBE_API_URL, KUBE_API_TOKEN and KUBE_API_CA are not set: run the API server tests with `npm run test:apiserver` (scripts/apiserver/test.sh starts the server)');
  }
  return { url, token, ca: fs.readFileSync(caFile, 'utf8') };
}

/** One response: status, body (parsed JSON when it is JSON) and each `Warning` header's text. */
export interface Reply {
  readonly status: number;
  readonly body: any;
  readonly warnings: readonly string[];
}

/** The text of a `Warning: 299 - "text"` header (RFC 7234 warn-text, with its escapes undone). */
function warningText(header: string): string {
  const m = /^\d{3} \S+ "((?:[^"\\]|\\.)*)"/.exec(header);
  return m ? m[1].replace(/\\(.)/g, '$1') : header;
}

export class Kube {
  private readonly agent: https.Agent;
  /** "apiVersion/Kind" -> resource and scope. */
  private mapping = new Map<string, { resource: string; namespaced: boolean }>();

  constructor(private readonly conn: Connection) {
    this.agent = new https.Agent({ ca: conn.ca, keepAlive: true, maxSockets: 4 });
  }

  /** A request; `body` is sent as JSON unless it is a string (then as `contentType`). */
  public request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Reply> {
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(`${this.conn.url}${path}`, {
        method,
        agent: this.agent,
        headers: {
          'Authorization': `Bearer ${this.conn.token}`,
          'Accept': 'application/json',
          ...(data !== undefined ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(data) } : {}),
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: any = text;
          try { parsed = JSON.parse(text); } catch { /* not JSON */ }
          const warnings: string[] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            if (res.rawHeaders[i].toLowerCase() === 'warning') warnings.push(warningText(res.rawHeaders[i + 1]));
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, warnings });
        });
      });
      req.on('error', reject);
      if (data !== undefined) req.write(data);
      req.end();
    });
  }

  /** The server's version (GET /version), e.g. { major: "1", minor: "37", gitVersion: "v1.37.2" }. */
  public async version(): Promise<{ major: string; minor: string; gitVersion: string }> {
    return (await this.request('GET', '/version')).body;
  }

  /** Discovers every served group version's resources (GET /api/v1, /apis, /apis/<g>/<v>). */
  public async discover(): Promise<void> {
    const groupVersions = ['v1'];
    const apis = (await this.request('GET', '/apis')).body;
    for (const g of apis.groups ?? []) for (const v of g.versions ?? []) groupVersions.push(v.groupVersion);
    for (const gv of groupVersions) {
      const list = (await this.request('GET', gv === 'v1' ? '/api/v1' : `/apis/${gv}`)).body;
      for (const r of list.resources ?? []) {
        if (String(r.name).includes('/')) continue; // subresources
        this.mapping.set(`${gv}/${r.kind}`, { resource: r.name, namespaced: r.namespaced });
      }
    }
  }

  /** The collection path of an object's kind (namespaced ones in its namespace, `default` when unset). */
  public collectionPath(obj: any): string {
    const m = this.mapping.get(`${obj.apiVersion}/${obj.kind}`);
    if (!m) throw new Error(`the API server serves no ${obj.kind} in ${obj.apiVersion} (${obj.metadata?.name})`);
    const prefix = String(obj.apiVersion).includes('/') ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
    return m.namespaced ? `${prefix}/namespaces/${obj.metadata?.namespace ?? 'default'}/${m.resource}` : `${prefix}/${m.resource}`;
  }

  public isNamespaced(obj: any): boolean {
    return this.mapping.get(`${obj.apiVersion}/${obj.kind}`)?.namespaced ?? true;
  }

  /** Creates an object, with server-side dry-run unless `dryRun` is false; always fieldValidation=Strict. */
  public create(obj: any, opts: { dryRun: boolean }): Promise<Reply> {
    const q = `fieldValidation=Strict${opts.dryRun ? '&dryRun=All' : ''}`;
    return this.request('POST', `${this.collectionPath(obj)}?${q}`, obj);
  }

  public close(): void {
    this.agent.destroy();
  }
}
