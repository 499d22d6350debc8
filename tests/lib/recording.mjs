// An HttpClient that keeps every response it received, so a test can scan all of them (bodies,
// headers, Set-Cookie, Location) for strings that must never reach a browser.
import { HttpClient } from './http.mjs';

export class RecordingClient extends HttpClient {
  constructor(options) {
    super(options);
    this.responses = [];
  }

  async request(url, options) {
    const res = await super.request(url, options);
    this.responses.push(res);
    return res;
  }

  /**
   * Everything servers whose URL starts with `origin` sent back: status, headers (Set-Cookie and
   * Location included) and bodies. Request URLs are left out: a callback URL carries the Hub's
   * code because the Hub put it there, not because the app showed it.
   */
  seenFrom(origin) {
    return this.responses
      .filter((r) => r.url.startsWith(origin))
      .map((r) => [r.status, [...r.headers].map(([k, v]) => `${k}: ${v}`).join('\n'), r.body].join('\n'))
      .join('\n');
  }
}

/** The secrets (of `secrets`) that occur in `text`, shortened for a readable assertion message. */
export function leaked(text, secrets) {
  return secrets.filter((s) => s && text.includes(s)).map((s) => `${s.slice(0, 12)}…`);
}
