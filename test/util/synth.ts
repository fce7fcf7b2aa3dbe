import { App, Chart, Testing } from 'cdk8s';
import { podSpecOf } from '../../lib/_pod/inject';

/** A fresh chart in a fresh test app. */
export function newChart(id = 'test'): { app: App; chart: Chart } {
  const app = Testing.app();
  return { app, chart: new Chart(app, id) };
}

/** The rendered manifests of a chart. */
export function manifests(chart: Chart): any[] {
  return Testing.synth(chart);
}

/** The only object of a kind in the rendered chart. */
export function only(chart: Chart, kind: string): any {
  const found = manifests(chart).filter((m) => m.kind === kind);
  if (found.length !== 1) throw new Error(`expected exactly one ${kind}, found ${found.length}`);
  return found[0];
}

/** The pod spec of the only pod-bearing object of a kind. */
export function podSpec(chart: Chart, kind = 'Pod'): any {
  return podSpecOf(only(chart, kind));
}

/** A container of a pod spec by name, from containers or initContainers. */
export function container(spec: any, name: string): any {
  const c = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].find((x: any) => x.name === name);
  if (!c) throw new Error(`no container ${name}`);
  return c;
}

/** The message of the error a function throws. */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, none was thrown');
}

/**
 * The SHA-256 of a ConfigMap's data as the pod-template hash annotations carry it, computed here
 * independently of the library: keys sorted, each `key NUL value NUL`.
 */
export function contentHash(data: Readonly<Record<string, string>>): string {
  const h = require('crypto').createHash('sha256');
  for (const k of Object.keys(data).sort()) h.update(`${k}\0${data[k]}\0`);
  return h.digest('hex');
}
