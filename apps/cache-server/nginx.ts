/**
 * Nginx configuration for Nx's self-hosted remote cache protocol (`GET`/`PUT /v1/cache/{hash}`, tar
 * bodies): stock nginx serves the store's files and stores `PUT` bodies with its WebDAV module. This
 * file only says who may do what.
 */

export interface CacheServerOptions {
  /** `host:port` to listen on. */
  listen: string;
  /** Where the cache entries live (`<store>/v1/cache/<hash>`); writable by nginx's worker. */
  store: string;
  /** Nginx's pid file and the temporary folders of modules we do not use. */
  runtime: string;
  /** May read and write. */
  writeToken: string;
  /** May only read: a `PUT` with it gets 403. */
  readToken?: string;
  /** The worker's user when nginx starts as root. */
  user?: string;
}

/**
 * What a token may hold. It goes into the configuration inside a quoted regular expression, so nothing nginx
 * would read as syntax: no quote, backslash, '$', ';', brace or space.
 */
export const TOKEN = /^[A-Za-z0-9._~+/=-]{16,512}$/;

/**
 * The map entry that matches `Authorization: Bearer <token>` for exactly this token. nginx compares a map's
 * string keys without regard to case (it lower-cases keys and values), which would let a token with its letters'
 * case changed through, so each token is a case-sensitive regular expression (`~`, not `~*`), anchored at both
 * ends. Only the scheme, "Bearer", is case-insensitive, as HTTP defines it. Every character that is not a letter
 * or digit is escaped: PCRE reads a backslash before one as that character itself ('.' and '+' would otherwise
 * be operators), and nginx passes such a backslash through unchanged (it unescapes only \" \' \\ \t \r \n).
 */
export function tokenKey(token: string): string {
  if (!TOKEN.test(token)) throw new Error('a token must match TOKEN');
  return `"~^(?i:bearer) ${token.replace(/[^A-Za-z0-9]/g, '\\$&')}$"`;
}

export function nginxConfig(o: CacheServerOptions): string {
  const tokens = [`    ${tokenKey(o.writeToken)} write;`];
  if (o.readToken) tokens.push(`    ${tokenKey(o.readToken)} read;`);
  return `# Written by apps/cache-server at each start; holds the tokens, so readable by its owner only.
daemon off;
master_process on;
worker_processes 1;
${o.user ? `user ${o.user};\n` : ''}pid ${o.runtime}/nginx.pid;
error_log stderr warn;
events { worker_connections 512; }

http {
  # No headers in the log: the tokens stay out of it. A file, not /dev/stdout, which cannot be opened
  # when the launcher's output is a socket (as under a test runner); the launcher prints its lines.
  log_format cache '$time_iso8601 $remote_addr $request_method $uri $status $body_bytes_sent';
  access_log ${o.runtime}/access.log cache;
  server_tokens off;
  types { }
  # Nx requires text/plain on error answers (it calls a 401 without it a misconfigured endpoint).
  default_type text/plain;
  sendfile on;

  # Bodies land beside the store, so a finished PUT is one rename into place: a reader never sees half an entry.
  client_body_temp_path ${o.store}/.incoming;
  client_max_body_size 0;
  proxy_temp_path ${o.runtime}/proxy;
  fastcgi_temp_path ${o.runtime}/fastcgi;
  uwsgi_temp_path ${o.runtime}/uwsgi;
  scgi_temp_path ${o.runtime}/scgi;

  # Each token is a case-sensitive regular expression (see tokenKey): nginx matches a map's plain strings
  # without regard to case. Regular expressions are tried in order and kept out of the map's hash, so no
  # map_hash_bucket_size is needed for long tokens (the hash holds only short keys such as "PUT:read" below).
  map $http_authorization $access {
    default none;
${tokens.join('\n')}
  }
  # Nx's protocol: 401 for a missing or unknown token, 403 for a read token that tries to write.
  map "$request_method:$access" $refuse {
    default 0;
    "~^[A-Z]+:none$" 401;
    "PUT:read" 403;
  }

  server {
    listen ${o.listen};
    root ${o.store};
    # A miss is the normal answer to a new task, not an error worth a line.
    log_not_found off;

    location ~ "^/v1/cache/[A-Za-z0-9_-]{1,128}$" {
      if ($request_method !~ "^(GET|PUT)$") { return 405; }
      if ($refuse = 401) { return 401 "missing or unknown token\n"; }
      if ($refuse = 403) { return 403 "this token may only read\n"; }
      # Keys are write-once: whoever holds the write token cannot replace what trusted jobs already read.
      set $exists "";
      if (-f $request_filename) { set $exists "$request_method"; }
      if ($exists = PUT) { return 409 "this entry exists; entries are write-once\n"; }
      dav_methods PUT;
      create_full_put_path on;
      dav_access user:rw;
    }

    location / { return 404 "not found\n"; }
  }
}
`;
}
