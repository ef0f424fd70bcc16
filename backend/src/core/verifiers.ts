import type { KubeClient } from '../clients/kube.js';
import type { KubeSphereClient } from '../clients/kubesphere.js';
import { AUTHENTICATED_GROUP, type TokenVerifier } from './identity.js';

/** Kubernetes mode: kube-apiserver's TokenReview says whose token it is. */
export function kubeTokenVerifier(kube: Pick<KubeClient, 'tokenReview'>): TokenVerifier {
  return {
    async verify(token) {
      const status = await kube.tokenReview(token);
      if (!status.authenticated || !status.user?.username) return null;
      return {
        name: status.user.username,
        ...(status.user.uid ? { uid: status.user.uid } : {}),
        groups: status.user.groups ?? [],
      };
    },
  };
}

/**
 * KubeSphere mode: ks-apiserver's `/oauth/userinfo` with the token. ks-apiserver's JWT authenticator gives users
 * only `system:authenticated` (kubesphere-extensions.md §3.3), which is what we assume when userinfo lists none.
 */
export function kubeSphereTokenVerifier(ks: Pick<KubeSphereClient, 'userinfo'>): TokenVerifier {
  return {
    async verify(token) {
      const info = await ks.userinfo(token);
      if (!info) return null;
      return { name: info.username, groups: info.groups ?? [AUTHENTICATED_GROUP] };
    },
  };
}
