// Processes for integration tests: start a program, wait until it says it listens, keep its
// output for log scanning, stop it (SIGTERM, then SIGKILL). Every process started here is killed
// when the test process exits, whatever happened in between.
//
//   const hub = await startHubsim({ args: ['--access-token-lifetime', '5'] });
//   hub.url                      // http://127.0.0.1:PORT
//   await hub.control.addFault({ kind: 'status', path: '/oauth/access_token', status: 503 });
//   hub.logs()                   // everything it printed so far (stdout + stderr)
//   await hub.stop();            // → { code, signal }
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const live = new Set();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * Starts `command args` and resolves once a line of its output matches `ready`.
 * @param {object} o
 * @param {string} o.command
 * @param {string[]} [o.args]
 * @param {Record<string,string>} [o.env]  added to (and overriding) process.env
 * @param {RegExp} [o.ready]               default /listening on (\S+)/; the match is returned
 * @param {number} [o.timeoutMs]           how long to wait for `ready` (default 20 s; ASan builds start slowly)
 * @param {string} [o.name]                label for error messages
 */
export async function startProcess({ command, args = [], env = {}, ready = /listening on (\S+)/, timeoutMs = 20000, name, cwd } = {}) {
  const label = name ?? command.split('/').pop();
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let out = '';
  let stdout = '';
  let stderr = '';
  const waiters = new Set();
  const check = () => {
    for (const w of waiters) {
      const m = w.pattern.exec(out.slice(w.from));
      if (m) {
        waiters.delete(w);
        clearTimeout(w.timer);
        w.resolve(m);
      }
    }
  };
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (s) => { out += s; stdout += s; check(); });
  child.stderr.on('data', (s) => { out += s; stderr += s; check(); });
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      live.delete(child);
      for (const w of waiters) {
        clearTimeout(w.timer);
        w.reject(new Error(`${label} exited (code ${code}, signal ${signal}) before printing ${w.pattern}\n${out}`));
      }
      waiters.clear();
      resolve({ code, signal });
    });
  });
  child.on('error', (e) => { out += `\n[spawn error] ${e.message}\n`; });

  /** Resolves with the first match of `pattern` in output printed after call time (or all output with {fromStart:true}). */
  const waitFor = (pattern, { timeoutMs: t = 10000, fromStart = false } = {}) =>
    new Promise((resolve, reject) => {
      const w = { pattern, from: fromStart ? 0 : out.length, resolve, reject };
      w.timer = setTimeout(() => {
        waiters.delete(w);
        reject(new Error(`${label} did not print ${pattern} within ${t} ms. Output:\n${out}`));
      }, t);
      waiters.add(w);
      check();
      if (child.exitCode !== null || child.signalCode !== null) {
        waiters.delete(w);
        clearTimeout(w.timer);
        reject(new Error(`${label} is not running. Output:\n${out}`));
      }
    });

  let match;
  try {
    match = await waitFor(ready, { timeoutMs, fromStart: true });
  } catch (e) {
    child.kill('SIGKILL');  // never leave a half-started process behind
    await exited;
    throw e;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code and signal. */
  const stop = async ({ graceMs = 5000 } = {}) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    }
    return exited;
  };

  return {
    name: label,
    child,
    pid: child.pid,
    match,
    exited,
    waitFor,
    stop,
    logs: () => out,
    /** Resident memory now, in MiB (Linux /proc). */
    rssMb: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024,
    stdout: () => stdout,
    stderr: () => stderr,
  };
}

/**
 * Stops processes (SIGTERM) and throws unless each exits with status 0 — so a sanitizer report
 * or a crash at shutdown fails the test file instead of passing unnoticed.
 */
export async function stopCleanly(...procs) {
  for (const p of procs) {
    if (!p) continue;
    const { code, signal } = await p.stop();
    if (code !== 0) throw new Error(`${p.name} exited with code ${code} (signal ${signal}). Output:\n${p.logs().slice(-4000)}`);
  }
}

/** Runs a program to completion (for --help, refusals); resolves with { code, signal, stdout, stderr }. */
export function runProcess(command, args = [], { env = {}, timeoutMs = 20000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (s) => { stdout += s; });
    child.stderr.on('data', (s) => { stderr += s; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${command} ran longer than ${timeoutMs} ms`)); }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Runs wrk to completion; resolves with everything it printed. */
export async function runWrk(args, timeoutMs) {
  const { code, stdout, stderr } = await runProcess('wrk', args, { timeoutMs });
  if (code !== 0) throw new Error(`wrk exited ${code}: ${stdout}${stderr}`);
  return stdout + stderr;
}

/** The built-in hubsim seed (server/hubsim/seed.h): ids tests can name. */
export const HUBSIM = Object.freeze({
  apps: {
    connect: { clientId: 'zai_connect', name: 'zai_connect', redirectUri: 'http://127.0.0.1:8080/oauth/zaikio/callback' },
    mobile: { clientId: 'zai_mobile', name: 'zai_mobile', redirectUri: 'http://127.0.0.1:8090/callback' },
  },
  people: {
    ada: { id: 'a1d4c0de-0000-4000-8000-00000000000a', name: 'Ada Lindqvist', email: 'ada@lindqvist-druck.example' },
    bruno: { id: 'b2a7e1f0-0000-4000-8000-00000000000b', name: 'Bruno Hartmann', email: 'bruno.hartmann@lindqvist-druck.example' },
    chiara: { id: 'c3e9a2b4-0000-4000-8000-00000000000c', name: 'Chiara Rossi', email: 'chiara.rossi@lindqvist-druck.example' },
    dev: { id: 'd4f0b3c5-0000-4000-8000-00000000000d', name: 'Dev Patel', email: 'dev.patel@scale-print.example' },
    emil: { id: 'e5a1c4d6-0000-4000-8000-00000000000e', name: 'Emil Novak', email: 'emil.novak@example.org' },
  },
  organizations: {
    lindqvist: { id: '3f0c6d2e-8b1a-4c5d-9e7f-1a2b3c4d5e60', name: 'Lindqvist Druck GmbH' },
    nordlicht: { id: '7a9e4b12-5c3d-4e6f-8a1b-2c3d4e5f6a70', name: 'Nordlicht Verpackungen AG' },
    /** Scale Print 0001 … 1000 (Dev Patel is a member of all, admin of every tenth). */
    scale: (i) => ({ id: `5ca1e000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`, name: `Scale Print ${String(i).padStart(4, '0')}` }),
  },
});

/**
 * Starts hubsim (ZAI_HUBSIM_BIN) on a free port with the control API on, unless told otherwise.
 * @param {object} [o]
 * @param {string[]} [o.args]     extra flags
 * @param {string} [o.secret]     zai_connect's client secret (passed in the environment)
 * @param {boolean} [o.control]   --control (default true)
 * @param {string} [o.bin]        the binary (default $ZAI_HUBSIM_BIN)
 */
export async function startHubsim({ args = [], env = {}, secret = 'hubsim-test-secret', control = true, bin = process.env.ZAI_HUBSIM_BIN, timeoutMs } = {}) {
  if (!bin) throw new Error('ZAI_HUBSIM_BIN is not set (run the tests through ctest, or export it)');
  const allArgs = ['--port', '0', ...(control ? ['--control'] : []), ...args];
  const proc = await startProcess({
    command: bin,
    args: allArgs,
    env: { HUBSIM_APP_SECRET: secret, ...env },
    ready: /hubsim listening on (https?:\/\/[^\s]+)/,
    timeoutMs,
    name: 'hubsim',
  });
  const url = proc.match[1];
  const port = Number(new URL(url).port);

  const call = async (method, path, body) => {
    const res = await fetch(url + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`hubsim control ${method} ${path} → ${res.status}: ${text}`);
    return JSON.parse(text);
  };
  const controlApi = {
    requests: async (since = 0) => (await call('GET', `/__hubsim/requests?since=${since}`)).requests,
    resetRequests: () => call('POST', '/__hubsim/requests/reset'),
    issuedSecrets: async () => (await call('GET', '/__hubsim/issued')).secrets,
    webhooks: async () => (await call('GET', '/__hubsim/webhooks')).deliveries,
    resetWebhooks: () => call('POST', '/__hubsim/webhooks/reset'),
    faults: async () => (await call('GET', '/__hubsim/faults')).faults,
    addFault: async (fault) => (await call('POST', '/__hubsim/faults', fault)).id,
    removeFault: (id) => call('DELETE', `/__hubsim/faults/${id}`),
    clearFaults: () => call('POST', '/__hubsim/faults/reset'),
    lifetimes: () => call('GET', '/__hubsim/lifetimes'),
    setLifetimes: (l) => call('POST', '/__hubsim/lifetimes', l),
    rotateKeys: (dropOld = false) => call('POST', '/__hubsim/keys/rotate', { drop_old: dropOld }),
    connections: async () => (await call('GET', '/__hubsim/connections')).connections,
    revokeConnection: (subject, clientId = 'zai_connect') => call('POST', '/__hubsim/connections/revoke', { client_id: clientId, subject }),
    setRoles: (personId, organizationId, roles) => call('POST', '/__hubsim/memberships/roles', { person_id: personId, organization_id: organizationId, roles }),
    removeMember: (personId, organizationId) => call('POST', '/__hubsim/memberships/remove', { person_id: personId, organization_id: organizationId }),
  };
  return { ...proc, url, port, secret, control: controlApi };
}
