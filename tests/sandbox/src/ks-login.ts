// A sandbox user's login at the ks-apiserver stand-in, as the console's login does it (the password grant with the
// console's OAuth client): the bearer token (a JWT) that the stand-in and the sandbox backend accept. One login for
// the demo seeding, the sandbox's CMDB settings and the tests that call the backend as a user.
import { sandboxUser } from './env.js';

const LOGIN_TIMEOUT_MS = 15_000;

/** Logs `user` (a sandbox user's name, or a name and password) in at `ksApiserverUrl`; its access token. */
export async function ksLogin(
  ksApiserverUrl: string,
  user: string | { name: string; password: string },
): Promise<string> {
  const { name, password } = typeof user === 'string' ? sandboxUser(user) : user;
  const res = await fetch(`${ksApiserverUrl}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      username: name,
      password,
      client_id: 'kubesphere',
      client_secret: 'kubesphere',
    }),
    signal: AbortSignal.timeout(LOGIN_TIMEOUT_MS),
  });
  if (!res.ok) {
    const said = (await res.text()).slice(0, 200);
    throw new Error(`${name}'s login at the ks-apiserver stand-in answered ${res.status}: ${said}`);
  }
  return ((await res.json()) as { access_token: string }).access_token;
}
