import type { KubeClient } from '../clients/kube.js';
import type { KubeSphereClient } from '../clients/kubesphere.js';
import { kubeResourceAttributes, kubeSphereResourceAttributes, type Authorizer } from './authz.js';

/** Kubernetes RBAC through `authorization.k8s.io/v1` SubjectAccessReview, asked as our service account. */
export function kubeAuthorizer(kube: Pick<KubeClient, 'subjectAccessReview'>): Authorizer {
  return {
    async authorize(request) {
      const status = await kube.subjectAccessReview({
        user: request.user.name,
        groups: request.user.groups,
        ...(request.user.uid ? { uid: request.user.uid } : {}),
        resourceAttributes: kubeResourceAttributes(request),
      });
      return {
        allowed: status.allowed === true && status.denied !== true,
        ...(status.reason ? { reason: status.reason } : {}),
      };
    },
  };
}

/**
 * KubeSphere IAM (GlobalRoles, WorkspaceRoles with inheritance, project roles) through ks-apiserver's own
 * SubjectAccessReview. Asked with our KubeSphere token when one is configured, else with the caller's token
 * (a self-check, which KubeSphere allows to any authenticated user).
 */
export function kubeSphereAuthorizer(
  ks: Pick<KubeSphereClient, 'subjectAccessReview'>,
  serviceToken?: () => string,
): Authorizer {
  return {
    async authorize(request) {
      const token = serviceToken?.() ?? request.token;
      if (!token) return { allowed: false, reason: 'no token to ask ks-apiserver with' };
      const status = await ks.subjectAccessReview(
        {
          user: request.user.name,
          groups: request.user.groups,
          resourceAttributes: kubeSphereResourceAttributes(request),
        },
        token,
      );
      return {
        allowed: status.allowed && status.denied !== true,
        ...(status.reason ? { reason: status.reason } : {}),
      };
    },
  };
}
