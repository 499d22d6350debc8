// What the soak and crash-loop tests share: the simulated people (hubsim's built-in seed,
// server/hubsim/seed.h) with the organisations each may read or install, how to count the
// token-endpoint calls hubsim saw, and the final check that acknowledged installs work.
import assert from 'node:assert/strict';

import { HUBSIM } from '../lib/procs.mjs';

const { ada, bruno, chiara, dev, emil } = HUBSIM.people;
const { lindqvist, nordlicht, scale } = HUBSIM.organizations;

const scaleAll = Array.from({ length: 1000 }, (_, i) => scale(i + 1).id);
const scaleAdmin = scaleAll.filter((_, i) => (i + 1) % 10 === 0);

/**
 * Each person: `weight` (how many of the simulated browsers are theirs, relatively), `admin`
 * (organisations they may install) and `member` (all organisations they may read).
 */
export const ROSTER = [
  { name: 'ada', id: ada.id, weight: 2, admin: [lindqvist.id, nordlicht.id], member: [lindqvist.id, nordlicht.id] },
  { name: 'bruno', id: bruno.id, weight: 2, admin: [lindqvist.id], member: [lindqvist.id, nordlicht.id] },
  { name: 'chiara', id: chiara.id, weight: 1, admin: [], member: [lindqvist.id] },
  { name: 'dev', id: dev.id, weight: 1, admin: scaleAdmin, member: scaleAll },
  { name: 'emil', id: emil.id, weight: 1, admin: [], member: [] },
];

/** `count` people drawn from `roster` by weight with `rng` (tests/lib/random.mjs). */
export function drawPeople(rng, count, roster = ROSTER) {
  const total = roster.reduce((sum, p) => sum + p.weight, 0);
  return Array.from({ length: count }, () => {
    let x = rng.next() * total;
    return roster.find((p) => (x -= p.weight) < 0) ?? roster.at(-1);
  });
}

/** Calls to hubsim's token endpoint after request-log position `since`, by grant type. */
export async function tokenCalls(hub, since) {
  const counts = {};
  for (const r of await hub.control.requests(since)) {
    if (r.path === '/oauth/access_token') counts[r.grant_type] = (counts[r.grant_type] ?? 0) + 1;
  }
  return counts;
}

/** hubsim's last request-log position (0 when empty). */
export async function hubPosition(hub) {
  return (await hub.control.requests()).at(-1)?.seq ?? 0;
}

/**
 * Every organisation in `acknowledged` (ids) reads as installed, with its data, through the API:
 * one fresh sign-in per admin in the roster. Call it once the Hub is calm again.
 */
export async function assertInstallsWork(stack, acknowledged, timeoutMs) {
  for (const person of ROSTER.filter((p) => p.admin.length)) {
    const client = stack.client({ timeoutMs });
    await stack.signIn(client, person.id);
    for (const id of person.admin.filter((a) => acknowledged.has(a))) {
      const view = await stack.api(client, `/api/organizations/${id}`);
      assert.equal(view.body.installation?.state, 'installed', `${id}: ${JSON.stringify(view.body)}`);
      assert.equal(view.body.data?.id, id, `${id} readable now the Hub is calm: ${JSON.stringify(view.body)}`);
    }
  }
}
