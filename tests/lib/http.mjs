// A cookie-keeping HTTP client for integration tests, over fetch with redirect: 'manual' so a
// test sees every redirect (Node's fetch returns the real 3xx response, Location included).
//
//   const client = new HttpClient();
//   const res = await client.get(`${hub.url}/oauth/authorize?…`);        // one request
//   const { response, chain } = await client.follow(url);                 // follow redirects
//   chain.map((r) => r.status)                                            // e.g. [302, 303, 200]
//
// Cookies follow RFC 6265 the way Chromium applies it to this project: host-only unless Domain
// is given, ports ignored (every server on 127.0.0.1 sees the others' cookies), Path matching,
// Max-Age/Expires, and http://127.0.0.1 (loopback) counts as a secure origin, so `Secure` and
// `__Host-` cookies set and sent over plain http on loopback behave as in the browser. Prefix
// rules are enforced: `__Secure-` needs Secure; `__Host-` needs Secure, Path=/ and no Domain.

/** True for https: and for http: on loopback (Chromium treats 127.0.0.0/8, ::1 and localhost as secure). */
export function isSecureOrigin(url) {
  const u = new URL(url);
  if (u.protocol === 'https:') return true;
  const h = u.hostname;
  return u.protocol === 'http:' && (h === 'localhost' || h === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(h));
}

function defaultPath(pathname) {
  if (!pathname.startsWith('/') || pathname.lastIndexOf('/') === 0) return '/';
  return pathname.slice(0, pathname.lastIndexOf('/'));
}

function pathMatches(requestPath, cookiePath) {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

function domainMatches(host, cookie) {
  if (cookie.hostOnly) return host === cookie.domain;
  return host === cookie.domain || host.endsWith('.' + cookie.domain);
}

export class CookieJar {
  constructor() {
    /** @type {Map<string, object>} name|domain|path → cookie */
    this.cookies = new Map();
  }

  /** Applies one Set-Cookie header received from `url`; returns false when the cookie is refused. */
  set(url, header, now = Date.now()) {
    const u = new URL(url);
    const [pair, ...attrs] = header.split(';');
    const eq = pair.indexOf('=');
    if (eq < 1) return false;
    const cookie = {
      name: pair.slice(0, eq).trim(),
      value: pair.slice(eq + 1).trim(),
      domain: u.hostname,
      hostOnly: true,
      path: defaultPath(u.pathname),
      secure: false,
      httpOnly: false,
      sameSite: undefined,
      expires: undefined, // ms since epoch; undefined = session cookie
    };
    let explicitPath = false;
    let hasDomain = false;
    for (const raw of attrs) {
      const i = raw.indexOf('=');
      const key = (i < 0 ? raw : raw.slice(0, i)).trim().toLowerCase();
      const val = i < 0 ? '' : raw.slice(i + 1).trim();
      if (key === 'max-age') {
        if (/^-?\d+$/.test(val)) cookie.expires = now + Number(val) * 1000;
      } else if (key === 'expires') {
        if (cookie.expires === undefined && !Number.isNaN(Date.parse(val))) cookie.expires = Date.parse(val);
      } else if (key === 'domain' && val) {
        const d = val.replace(/^\./, '').toLowerCase();
        if (!domainMatches(u.hostname, { domain: d, hostOnly: false })) return false;
        cookie.domain = d;
        cookie.hostOnly = false;
        hasDomain = true;
      } else if (key === 'path') {
        cookie.path = val.startsWith('/') ? val : defaultPath(u.pathname);
        explicitPath = val.startsWith('/');
      } else if (key === 'secure') {
        cookie.secure = true;
      } else if (key === 'httponly') {
        cookie.httpOnly = true;
      } else if (key === 'samesite') {
        cookie.sameSite = val;
      }
    }
    if (cookie.secure && !isSecureOrigin(url)) return false;
    if (cookie.name.startsWith('__Secure-') && !cookie.secure) return false;
    if (cookie.name.startsWith('__Host-') && (!cookie.secure || hasDomain || !explicitPath || cookie.path !== '/')) return false;
    const key = `${cookie.name}|${cookie.domain}|${cookie.path}`;
    if (cookie.expires !== undefined && cookie.expires <= now) {
      this.cookies.delete(key);
    } else {
      this.cookies.set(key, cookie);
    }
    return true;
  }

  /** The Cookie header for a request to `url` (undefined when none apply). */
  header(url, now = Date.now()) {
    const u = new URL(url);
    const secure = isSecureOrigin(url);
    const out = [];
    for (const [key, c] of this.cookies) {
      if (c.expires !== undefined && c.expires <= now) {
        this.cookies.delete(key);
        continue;
      }
      if (!domainMatches(u.hostname, c) || !pathMatches(u.pathname, c.path) || (c.secure && !secure)) continue;
      out.push(c);
    }
    out.sort((a, b) => b.path.length - a.path.length);
    return out.length ? out.map((c) => `${c.name}=${c.value}`).join('; ') : undefined;
  }

  /** The cookie called `name` (the longest path when several), or undefined. */
  get(name) {
    let best;
    for (const c of this.cookies.values()) if (c.name === name && (!best || c.path.length > best.path.length)) best = c;
    return best;
  }

  all() {
    return [...this.cookies.values()];
  }

  clear() {
    this.cookies.clear();
  }
}

/** What every request returns: the fetch Response's essentials plus the body, read once. */
async function snapshot(url, method, res) {
  const body = await res.text();
  const headers = res.headers;
  return {
    url,
    method,
    status: res.status,
    headers,
    location: headers.get('location') ? new URL(headers.get('location'), url).toString() : undefined,
    setCookies: headers.getSetCookie(),
    body,
    json() {
      return JSON.parse(body);
    },
  };
}

export class HttpClient {
  /**
   * @param {{ jar?: CookieJar, headers?: Record<string,string>, timeoutMs?: number }} [o]
   * `timeoutMs`: every request without its own `signal` fails (TimeoutError) after that long,
   * so a server that never answers shows up as an error instead of a hung test.
   */
  constructor({ jar = new CookieJar(), headers = {}, timeoutMs } = {}) {
    this.jar = jar;
    this.headers = headers;
    this.timeoutMs = timeoutMs;
  }

  /**
   * One request, never following redirects. Options: method, headers, body (string), form
   * (object → x-www-form-urlencoded), json (object → application/json), cookies (false: do not
   * send or store cookies), signal (default: the client's timeoutMs, if any).
   */
  async request(url, { method = 'GET', headers = {}, body, form, json, cookies = true, signal } = {}) {
    const h = { ...this.headers, ...headers };
    if (form !== undefined) {
      body = new URLSearchParams(form).toString();
      h['content-type'] ??= 'application/x-www-form-urlencoded';
    } else if (json !== undefined) {
      body = JSON.stringify(json);
      h['content-type'] ??= 'application/json';
    }
    if (cookies) {
      const cookie = this.jar.header(url);
      if (cookie) h.cookie = cookie;
    }
    signal ??= this.timeoutMs ? AbortSignal.timeout(this.timeoutMs) : undefined;
    const res = await fetch(url, { method, headers: h, body, redirect: 'manual', signal });
    const snap = await snapshot(url, method, res);
    if (cookies) for (const sc of snap.setCookies) this.jar.set(url, sc);
    return snap;
  }

  get(url, options = {}) {
    return this.request(url, { ...options, method: 'GET' });
  }

  post(url, options = {}) {
    return this.request(url, { ...options, method: 'POST' });
  }

  /**
   * Follows redirects like a browser (303, and 301/302 after POST, become GET without a body;
   * 307/308 repeat the request), recording every response. `stopAt(url)` may end the chain
   * before requesting a URL (e.g. the app's callback when no app is running).
   * Resolves with { response: last response, chain: [every response], stoppedAt?: url }.
   */
  async follow(url, options = {}, { max = 20, stopAt } = {}) {
    const chain = [];
    let current = url;
    let opts = { ...options };
    for (let i = 0; i <= max; i++) {
      const res = await this.request(current, opts);
      chain.push(res);
      if (res.status < 300 || res.status >= 400 || !res.location) return { response: res, chain };
      if (stopAt && stopAt(res.location)) return { response: res, chain, stoppedAt: res.location };
      const keep = res.status === 307 || res.status === 308;
      if (!keep) opts = { headers: options.headers, cookies: options.cookies, method: 'GET' };
      current = res.location;
    }
    throw new Error(`more than ${max} redirects starting at ${url}`);
  }
}
