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
// what a workload's rendering converts (lib/_pod/l1-json.ts: the L1 classes whose `toJson` it makes, and the types it does not model)
export const KubeDeployment = k8s.KubeDeployment;
export type KubeDeployment = L1.KubeDeployment;
export const KubePod = k8s.KubePod;
export type KubePod = L1.KubePod;
export const toJson_KubeDeploymentProps = k8s.toJson_KubeDeploymentProps;
export const toJson_KubePodProps = k8s.toJson_KubePodProps;
export const toJson_Affinity = k8s.toJson_Affinity;
export const toJson_AwsElasticBlockStoreVolumeSource = k8s.toJson_AwsElasticBlockStoreVolumeSource;
export const toJson_AzureDiskVolumeSource = k8s.toJson_AzureDiskVolumeSource;
export const toJson_AzureFileVolumeSource = k8s.toJson_AzureFileVolumeSource;
export const toJson_CephFsVolumeSource = k8s.toJson_CephFsVolumeSource;
export const toJson_CinderVolumeSource = k8s.toJson_CinderVolumeSource;
export const toJson_CsiVolumeSource = k8s.toJson_CsiVolumeSource;
export const toJson_DownwardApiVolumeSource = k8s.toJson_DownwardApiVolumeSource;
export const toJson_EphemeralContainer = k8s.toJson_EphemeralContainer;
export const toJson_EphemeralVolumeSource = k8s.toJson_EphemeralVolumeSource;
export const toJson_FcVolumeSource = k8s.toJson_FcVolumeSource;
export const toJson_FlexVolumeSource = k8s.toJson_FlexVolumeSource;
export const toJson_FlockerVolumeSource = k8s.toJson_FlockerVolumeSource;
export const toJson_GcePersistentDiskVolumeSource = k8s.toJson_GcePersistentDiskVolumeSource;
export const toJson_GitRepoVolumeSource = k8s.toJson_GitRepoVolumeSource;
export const toJson_GlusterfsVolumeSource = k8s.toJson_GlusterfsVolumeSource;
export const toJson_HostAlias = k8s.toJson_HostAlias;
export const toJson_HostPathVolumeSource = k8s.toJson_HostPathVolumeSource;
export const toJson_IscsiVolumeSource = k8s.toJson_IscsiVolumeSource;
export const toJson_LabelSelectorRequirement = k8s.toJson_LabelSelectorRequirement;
export const toJson_LocalObjectReference = k8s.toJson_LocalObjectReference;
export const toJson_ManagedFieldsEntry = k8s.toJson_ManagedFieldsEntry;
export const toJson_NfsVolumeSource = k8s.toJson_NfsVolumeSource;
export const toJson_OwnerReference = k8s.toJson_OwnerReference;
export const toJson_PersistentVolumeClaimVolumeSource = k8s.toJson_PersistentVolumeClaimVolumeSource;
export const toJson_PhotonPersistentDiskVolumeSource = k8s.toJson_PhotonPersistentDiskVolumeSource;
export const toJson_PodDnsConfig = k8s.toJson_PodDnsConfig;
export const toJson_PodOs = k8s.toJson_PodOs;
export const toJson_PodReadinessGate = k8s.toJson_PodReadinessGate;
export const toJson_PodResourceClaim = k8s.toJson_PodResourceClaim;
export const toJson_PodSchedulingGate = k8s.toJson_PodSchedulingGate;
export const toJson_PortworxVolumeSource = k8s.toJson_PortworxVolumeSource;
export const toJson_ProjectedVolumeSource = k8s.toJson_ProjectedVolumeSource;
export const toJson_QuobyteVolumeSource = k8s.toJson_QuobyteVolumeSource;
export const toJson_RbdVolumeSource = k8s.toJson_RbdVolumeSource;
export const toJson_ScaleIoVolumeSource = k8s.toJson_ScaleIoVolumeSource;
export const toJson_SecretVolumeSource = k8s.toJson_SecretVolumeSource;
export const toJson_StorageOsVolumeSource = k8s.toJson_StorageOsVolumeSource;
export const toJson_Toleration = k8s.toJson_Toleration;
export const toJson_TopologySpreadConstraint = k8s.toJson_TopologySpreadConstraint;
export const toJson_VsphereVirtualDiskVolumeSource = k8s.toJson_VsphereVirtualDiskVolumeSource;
export const KubeStatefulSet = k8s.KubeStatefulSet;
export type KubeStatefulSet = L1.KubeStatefulSet;
export const toJson_KubeStatefulSetProps = k8s.toJson_KubeStatefulSetProps;
export const KubeDaemonSet = k8s.KubeDaemonSet;
export type KubeDaemonSet = L1.KubeDaemonSet;
export const toJson_KubeDaemonSetProps = k8s.toJson_KubeDaemonSetProps;
export const KubeJob = k8s.KubeJob;
export type KubeJob = L1.KubeJob;
export const toJson_KubeJobProps = k8s.toJson_KubeJobProps;
export const KubeCronJob = k8s.KubeCronJob;
export type KubeCronJob = L1.KubeCronJob;
export const toJson_KubeCronJobProps = k8s.toJson_KubeCronJobProps;
export const KubeConfigMap = k8s.KubeConfigMap;
export type KubeConfigMap = L1.KubeConfigMap;
export const toJson_KubeConfigMapProps = k8s.toJson_KubeConfigMapProps;
export const KubeService = k8s.KubeService;
export type KubeService = L1.KubeService;
export const toJson_KubeServiceProps = k8s.toJson_KubeServiceProps;
export const toJson_DaemonSetUpdateStrategy = k8s.toJson_DaemonSetUpdateStrategy;
export const toJson_KubePersistentVolumeClaimProps = k8s.toJson_KubePersistentVolumeClaimProps;
export const toJson_PodFailurePolicy = k8s.toJson_PodFailurePolicy;
export const toJson_SessionAffinityConfig = k8s.toJson_SessionAffinityConfig;
export const toJson_StatefulSetOrdinals = k8s.toJson_StatefulSetOrdinals;
export const toJson_StatefulSetPersistentVolumeClaimRetentionPolicy = k8s.toJson_StatefulSetPersistentVolumeClaimRetentionPolicy;
export const toJson_StatefulSetUpdateStrategy = k8s.toJson_StatefulSetUpdateStrategy;
