// Where the gpu-monitoring pages link to. GPU and node pages read cluster routes, so only a cluster page (an
// administrator's) links to them; a workspace's pages link to its own project and workload pages.

export interface Links {
  gpu?: (uuid: string) => string;
  node?: (node: string) => string;
  project?: (namespace: string) => string;
  workload?: (namespace: string, pod: string) => string;
  /** The feature's home in this layout. */
  home: string;
  gpuHours: string;
  /** The workspace's "My GPU Projects": the caller's own projects (docs/adr/0020). */
  myProjects?: string;
}

const seg = encodeURIComponent;

export function clusterLinks(cluster: string): Links {
  const base = `/clusters/${seg(cluster)}/gpu-monitoring`;
  return {
    home: base,
    gpuHours: `${base}/gpuhours`,
    gpu: (uuid) => `${base}/gpus/${seg(uuid)}`,
    node: (node) => `${base}/nodes/${seg(node)}`,
    project: (ns) => `${base}/projects/${seg(ns)}`,
    workload: (ns, pod) => `${base}/projects/${seg(ns)}/workloads/${seg(pod)}`,
  };
}

export function workspaceLinks(workspace: string): Links {
  const base = `/workspaces/${seg(workspace)}/gpu-monitoring`;
  return {
    home: base,
    gpuHours: `${base}/gpuhours`,
    myProjects: `${base}/my-projects`,
    project: (ns) => `${base}/projects/${seg(ns)}`,
    workload: (ns, pod) => `${base}/projects/${seg(ns)}/workloads/${seg(pod)}`,
  };
}

/** The links of the layout a page is in: the workspace's when there is a workspace, else the cluster's. */
export function linksFor(params: { cluster?: string | undefined; workspace?: string | undefined }): Links {
  return params.workspace ? workspaceLinks(params.workspace) : clusterLinks(params.cluster ?? '');
}
