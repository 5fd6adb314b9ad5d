/**
 * Nx fails the whole command when its self-hosted remote cache is unreachable or refuses the token
 * ("Failed to send request", "Misconfigured remote cache endpoint"). A cache is an optimisation, so
 * before any task runs we ask the server once; if it cannot serve us, the run goes on with the local
 * cache and says why in one line.
 */
import { randomBytes } from 'node:crypto';

export const SERVER = 'NX_SELF_HOSTED_REMOTE_CACHE_SERVER';
export const TOKEN = 'NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN';

const TIMEOUT_MS = 5000;

/** Why the remote cache cannot be used, or undefined when it can. */
export async function remoteCacheProblem(server: string, token: string | undefined): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(`v1/cache/${'0'.repeat(4)}${randomBytes(8).readBigUInt64BE()}`, server.endsWith('/') ? server : `${server}/`);
  } catch {
    return `${SERVER} is not a URL`;
  }
  try {
    // An entry that does not exist: 404 means the server is up and the token may read.
    const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(TIMEOUT_MS) });
    await res.body?.cancel();
    if (res.status === 404 || res.ok) return undefined;
    if (res.status === 401 || res.status === 403) return `the server refused the token (HTTP ${res.status}${token ? '' : `; ${TOKEN} is not set`})`;
    return `the server answered HTTP ${res.status}`;
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
    return cause === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : `unreachable (${cause})`;
  }
}

/**
 * Nx's pre-tasks hook: runs before Nx creates its cache, and Nx carries the variables it sets into the
 * command. An empty server variable turns the remote cache off.
 */
export async function skipUnusableRemoteCache(): Promise<void> {
  const server = process.env[SERVER];
  if (!server) return;
  const problem = await remoteCacheProblem(server, process.env[TOKEN]);
  if (!problem) return;
  console.warn(`trainyard: remote cache ${server} skipped: ${problem}; using the local cache only`);
  process.env[SERVER] = '';
}
