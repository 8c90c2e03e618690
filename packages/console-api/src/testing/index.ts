export { startKubeApiServer, type KubeApiServer, type KubeApiServerOptions, type RequestRecord } from './kube-server.js';
export { KubeStore, resourceKey, type KubeObject, type ObjectMeta, type ResourceDef, type WatchEvent } from './kube-store.js';
export { authorize, type Rule, type UserInfo, type Attributes } from './kube-rbac.js';
export { crdResources, managedResource, XRD_DIR } from './kube-resources.js';
export { kubeConfigFor, startTestCluster, TEST_RULES, TEST_TOKENS, type TestCluster } from './cluster.js';
export { sampleDeployments, sampleStatus } from './samples.js';
