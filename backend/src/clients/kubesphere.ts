import axios, { type AxiosInstance } from 'axios';
import { keepAliveAgents } from './keep-alive.js';
import { UpstreamError } from './upstream.js';
import { HttpStatusError } from './reduced-error.js';
import { noObserve, timed, type ObserveUpstream } from './upstream.js';

/** ks-apiserver: token checks (`/oauth/userinfo`) and KubeSphere IAM access reviews. */
export interface KubeSphereClient {
  /** The user behind a KubeSphere access token, or null when ks-apiserver rejects it (401/403). */
  userinfo(token: string): Promise<{ username: string; groups?: string[] } | null>;
  subjectAccessReview(
    spec: { user: string; groups: string[]; resourceAttributes: Record<string, string> },
    token: string,
  ): Promise<{ allowed: boolean; denied?: boolean; reason?: string }>;
}

interface UserInfo {
  sub?: string;
  name?: string;
  preferred_username?: string;
  username?: string;
  groups?: string[];
}

export function createKubeSphereClient(options: {
  baseUrl: string;
  timeoutMs: number;
  observe?: ObserveUpstream;
  http?: AxiosInstance;
}): KubeSphereClient {
  const http =
    options.http ??
    axios.create({ baseURL: options.baseUrl, timeout: options.timeoutMs, ...keepAliveAgents() });
  const observe = options.observe ?? noObserve;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  return {
    async userinfo(token) {
      const response = await timed(observe, 'kubesphere', () =>
        http.get<UserInfo>('/oauth/userinfo', { headers: auth(token), validateStatus: () => true }),
      ).catch((err: unknown) => {
        throw new UpstreamError('ks-apiserver', err);
      });
      if (response.status === 401 || response.status === 403) return null;
      if (response.status !== 200)
        throw new UpstreamError(
          'ks-apiserver',
          new HttpStatusError('GET', `${options.baseUrl}/oauth/userinfo`, response.status),
        );
      const info = response.data;
      const username = info.preferred_username ?? info.username ?? info.name ?? info.sub;
      return username ? { username, ...(info.groups ? { groups: info.groups } : {}) } : null;
    },
    async subjectAccessReview(spec, token) {
      try {
        const response = await timed(observe, 'kubesphere', () =>
          http.post<{ status?: { allowed?: boolean; denied?: boolean; reason?: string } }>(
            '/kapis/iam.kubesphere.io/v1beta1/subjectaccessreviews',
            { apiVersion: 'iam.kubesphere.io/v1beta1', kind: 'SubjectAccessReview', spec },
            { headers: auth(token) },
          ),
        );
        const status = response.data.status ?? {};
        return {
          allowed: status.allowed === true,
          denied: status.denied ?? false,
          ...(status.reason ? { reason: status.reason } : {}),
        };
      } catch (err) {
        throw new UpstreamError('ks-apiserver', err);
      }
    },
  };
}
