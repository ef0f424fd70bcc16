// The CMDB stand-in's generated estate: business systems with importance, contacts (WeCom user id, mobile, email,
// role, priority), the namespaces each owns, workloads and hosts. Deterministic (same counts → same estate), so a
// test or the benchmark knows which namespace belongs to which system without asking.

export interface EstateContact {
  id: number;
  name: string;
  role: 'owner' | 'ops' | 'dev';
  priority: 'primary' | 'secondary' | 'tertiary';
  wecomUserId: string;
  mobile: string;
  email: string;
}

export interface EstateSystem {
  id: number;
  name: string;
  importance: 'P1' | 'P2' | 'P3' | 'P4';
  namespaces: string[];
  contacts: EstateContact[];
}

export interface EstateWorkload {
  id: number;
  bizId: number;
  clusterUid: string;
  namespace: string;
  kind: 'deployment' | 'statefulSet' | 'job';
  name: string;
}

export interface EstateHost {
  id: number;
  bizId: number;
  innerIp: string;
  hostname: string;
}

export interface Estate {
  clusterUid: string;
  systems: EstateSystem[];
  workloads: EstateWorkload[];
  hosts: EstateHost[];
}

const IMPORTANCE = ['P1', 'P2', 'P3', 'P4'] as const;
const ROLES = [
  ['owner', 'primary'],
  ['ops', 'secondary'],
  ['dev', 'tertiary'],
] as const;

let nextContactId = 1;
function contactsFor(system: string): EstateContact[] {
  return ROLES.map(([role, priority], i) => {
    const user = `${system}-${role}`;
    return {
      id: nextContactId++,
      name: user,
      role,
      priority,
      wecomUserId: user,
      mobile: `+86138${String(nextContactId * 7 + i).padStart(8, '0')}`,
      email: `${user}@example.com`,
    };
  });
}

/** `payments` (P1, namespaces prod-pay and payments) first, then biz-001 …; at least 50 systems, 5,000 workloads and hosts. */
export function generateEstate(systemCount = 60, workloadCount = 5_000, hostCount = 5_000): Estate {
  nextContactId = 1;
  const systems: EstateSystem[] = [];
  for (let i = 0; i < systemCount; i++) {
    const name = i === 0 ? 'payments' : `biz-${String(i).padStart(3, '0')}`;
    systems.push({
      id: i + 1,
      name,
      importance: i === 0 ? 'P1' : IMPORTANCE[i % IMPORTANCE.length]!,
      namespaces: i === 0 ? ['prod-pay', 'payments'] : [`${name}-prod`, `${name}-test`],
      contacts: contactsFor(name),
    });
  }
  const clusterUid = 'BCS-K8S-00001';
  const kinds = ['deployment', 'statefulSet', 'job'] as const;
  const workloads = Array.from({ length: workloadCount }, (_, i) => {
    const system = systems[i % systems.length]!;
    return {
      id: i + 1,
      bizId: system.id,
      clusterUid,
      namespace: system.namespaces[i % system.namespaces.length]!,
      kind: kinds[i % kinds.length]!,
      name: `wl-${i + 1}`,
    };
  });
  const hosts = Array.from({ length: hostCount }, (_, i) => ({
    id: i + 1,
    bizId: systems[i % systems.length]!.id,
    innerIp: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    hostname: `host-${i + 1}`,
  }));
  return { clusterUid, systems, workloads, hosts };
}
