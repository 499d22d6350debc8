// Driving hubsim (or any Hub with the same pages) over plain HTTP: the authorize pages as form
// posts, the token endpoint in every encoding, PKCE pairs, JWT decoding.
//
//   const client = new HttpClient();
//   const { params } = await authorize(hub.url, client, { scope: 'zaikio.person.r', person: HUBSIM.people.ada.id });
//   const tokens = await tokenRequest(hub.url, { grant_type: 'authorization_code', code: params.get('code') },
//                                     { basic: ['zai_connect', hub.secret] });
import { createHash, randomBytes } from 'node:crypto';

/** The hidden `pending` id of a hubsim page, or undefined. */
export function pendingOf(html) {
  return /name="pending" value="([^"]+)"/.exec(html)?.[1];
}

/** Which hubsim page this is: 'sign_in', 'organization', 'consent', 'device_entry', 'device_done' or 'error'. */
export function pageKind(html) {
  if (html.includes('action="/oauth/authorize/sign_in"')) return 'sign_in';
  if (html.includes('action="/oauth/authorize/organization"')) return 'organization';
  if (html.includes('action="/oauth/authorize/consent"')) return 'consent';
  if (html.includes('action="/oauth/device"')) return 'device_entry';
  if (html.includes('role="status"')) return 'device_done';
  return 'error';
}

/** The values of the buttons called `name` on a page (people, organisations offered). */
export function buttonValues(html, name) {
  return [...html.matchAll(new RegExp(`name="${name}" value="([^"]+)"`, 'g'))].map((m) => m[1]);
}

export function base64url(buf) {
  return Buffer.from(buf).toString('base64url');
}

/** A fresh PKCE verifier (32 random bytes) and its S256 challenge. */
export function pkcePair() {
  const verifier = base64url(randomBytes(32));
  return { verifier, challenge: base64url(createHash('sha256').update(verifier).digest()) };
}

/** { header, payload, signature, signingInput } of a compact JWS, without checking anything. */
export function decodeJwt(token) {
  const [h, p, s] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')),
    signature: Buffer.from(s, 'base64url'),
    signingInput: `${h}.${p}`,
  };
}

/**
 * Walks /oauth/authorize through the pages with form posts, as a browser would. Signs in as
 * `person` when asked, picks `organization` when asked, answers consent with `decision`
 * ('allow' | 'cancel'). Stops at the first redirect that leaves the Hub (the app's callback)
 * or at a page it cannot answer.
 * Resolves with { response, chain, pages, location?, params? (URLSearchParams of the callback) }.
 */
export async function authorize(hubUrl, client, {
  clientId = 'zai_connect', redirectUri, scope, state, person, organization, decision = 'allow', query = {},
} = {}) {
  const q = new URLSearchParams({ client_id: clientId, response_type: 'code' });
  if (redirectUri !== undefined) q.set('redirect_uri', redirectUri);
  if (scope !== undefined) q.set('scope', scope);
  if (state !== undefined) q.set('state', state);
  for (const [k, v] of Object.entries(query)) q.set(k, v);
  const chain = [];
  const pages = [];
  let res = await client.get(`${hubUrl}/oauth/authorize?${q}`);
  for (let step = 0; step < 12; step++) {
    chain.push(res);
    if (res.status >= 300 && res.status < 400 && res.location) {
      if (res.location.startsWith(hubUrl)) {
        res = await client.get(res.location);
        continue;
      }
      const params = new URL(res.location).searchParams;
      return { response: res, chain, pages, location: res.location, params };
    }
    if (res.status !== 200) return { response: res, chain, pages };
    const kind = pageKind(res.body);
    pages.push(kind);
    const pending = pendingOf(res.body);
    if (kind === 'sign_in' && person) {
      res = await client.post(`${hubUrl}/oauth/authorize/sign_in`, { form: { pending, person_id: person } });
    } else if (kind === 'organization' && organization) {
      res = await client.post(`${hubUrl}/oauth/authorize/organization`, { form: { pending, organization_id: organization } });
    } else if (kind === 'consent') {
      res = await client.post(`${hubUrl}/oauth/authorize/consent`, { form: { pending, decision } });
    } else {
      return { response: res, chain, pages };
    }
  }
  throw new Error('authorize did not finish within 12 steps');
}

/**
 * POSTs to the token endpoint. `encoding`: 'form' (default), 'json' or 'query' (parameters in
 * the URL, empty body). `basic`: [id, secret] for HTTP Basic (form-urlencoded first, RFC 6749
 * §2.3.1). `path`: default /oauth/access_token. Resolves with { status, body (parsed JSON or
 * the text), headers }.
 */
export async function tokenRequest(hubUrl, params, { basic, encoding = 'form', path = '/oauth/access_token', headers = {} } = {}) {
  const h = { accept: 'application/json', ...headers };
  if (basic) {
    const [id, secret] = basic;
    const enc = (s) => encodeURIComponent(s).replace(/%20/g, '+');
    h.authorization = `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64')}`;
  }
  let url = hubUrl + path;
  let body;
  if (encoding === 'json') {
    h['content-type'] = 'application/json';
    body = JSON.stringify(params);
  } else if (encoding === 'query') {
    url += `?${new URLSearchParams(params)}`;
  } else {
    h['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(params).toString();
  }
  const res = await fetch(url, { method: 'POST', headers: h, body });
  const text = await res.text();
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: the caller looks at the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** Signs in through the pages and exchanges the code: the token response of a fresh grant. */
export async function obtainTokens(hub, client, { scope, person, organization, clientId = 'zai_connect', secret = hub.secret } = {}) {
  const flow = await authorize(hub.url, client, { clientId, scope, person, organization, state: 's' });
  const code = flow.params?.get('code');
  if (!code) throw new Error(`no code: ${flow.location ?? flow.response.status + ' ' + flow.response.body.slice(0, 300)}`);
  const res = await tokenRequest(hub.url, { grant_type: 'authorization_code', code }, { basic: [clientId, secret] });
  if (res.status !== 200) throw new Error(`code exchange failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
