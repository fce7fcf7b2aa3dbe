/**
 * The Kubernetes 1.27 L1 module the library uses: the types of imports/k8s.ts, the code of
 * cdk8s-plus-27's own copy of the same module (`require('cdk8s-plus-27').k8s`).
 *
 * imports/k8s.ts and cdk8s-plus-27's lib/imports/k8s.js are the same cdk8s import of Kubernetes
 * 1.27 (the same names; every `toJson_*` the same code: test/k8s-runtime.test.ts checks it), and
 * cdk8s-plus-27 is loaded by every app anyway, so loading our 2.4 MB copy of it as well cost
 * every synth ~13 ms for nothing. The types stay those of imports/k8s.ts (jsii exports them as the
 * `k8s` submodule of the Python, Java and Go packages); the few functions and classes the library
 * calls at run time are cdk8s-plus-27's. `import * as k8s from '../_k8s'` reads as the import of
 * imports/k8s it replaces. The jsii build (scripts/jsii.js) replaces this file with a re-export of
 * imports/k8s: the jsii packages export that module, so what they hand to another language is of
 * the classes their API declares.
 */
import type * as L1 from '../imports/k8s';
import { k8s as plus } from 'cdk8s-plus-27';

export type * from '../imports/k8s';

const k8s = plus as unknown as typeof L1;

export const Quantity = k8s.Quantity;
export type Quantity = L1.Quantity;
export const IntOrString = k8s.IntOrString;
export type IntOrString = L1.IntOrString;

export const toJson_Container = k8s.toJson_Container;
export const toJson_EnvVar = k8s.toJson_EnvVar;
export const toJson_PodSecurityContext = k8s.toJson_PodSecurityContext;
export const toJson_Probe = k8s.toJson_Probe;
export const toJson_ResourceRequirements = k8s.toJson_ResourceRequirements;
export const toJson_SecurityContext = k8s.toJson_SecurityContext;
export const toJson_Volume = k8s.toJson_Volume;
export const toJson_VolumeMount = k8s.toJson_VolumeMount;
// converted by the L1 functions themselves where lib/_pod/l1-json.ts does not model the type
export const toJson_ContainerResizePolicy = k8s.toJson_ContainerResizePolicy;
export const toJson_EnvFromSource = k8s.toJson_EnvFromSource;
export const toJson_EnvVarSource = k8s.toJson_EnvVarSource;
export const toJson_GrpcAction = k8s.toJson_GrpcAction;
export const toJson_HttpHeader = k8s.toJson_HttpHeader;
export const toJson_ResourceClaim = k8s.toJson_ResourceClaim;
export const toJson_Sysctl = k8s.toJson_Sysctl;
export const toJson_VolumeDevice = k8s.toJson_VolumeDevice;
