// A job nobody has marked complete yet, for the scenarios that mark one. Marking is once per job and side,
// so on a deployment each such scenario needs a job of its own: with E2E_ADMIN_TOKEN it is made through
// the admin API (POST /api/admin/conversations, a unique title, between the client and the worker
// accounts) and given a short history, as a real conversation has; without the token those scenarios
// are skipped. On a fresh server of the test's own, it is the demo's "Fix my sink".
import { test } from '@playwright/test';
import { TITLES, uniqueText } from '../support/inbox-page';
import { connectAs, historyOverWire, sendOverWire, type WireSocket } from '../support/wire-client';
import { CLIENT, DEPLOYMENT_ADMIN_TOKEN, onDeployment, WORKER } from './target';

export const NEEDS_FRESH_JOB =
  'marks a job complete, which each side can do once per job: set E2E_ADMIN_TOKEN so the scenario gets a fresh job';

/** False on a deployment without E2E_ADMIN_TOKEN: scenarios that mark a job complete cannot run there. */
export const canMarkAJob = !onDeployment || DEPLOYMENT_ADMIN_TOKEN !== null;

async function say(socket: WireSocket, conversationId: number, text: string): Promise<number> {
  const ack = await sendOverWire(socket, conversationId, text);
  if (!ack.ok) throw new Error(`could not write in the new job: ${ack.error.code} ${ack.error.message}`);
  return ack.message.seq;
}

export class Jobs {
  constructor(private readonly baseURL: string) {}

  /**
   * The title of an IN_PROGRESS job between the client and the worker that neither has marked complete,
   * with a message from each side, both read. Skips the test where none can be had.
   */
  async unmarked(): Promise<string> {
    if (!onDeployment) return TITLES.sink;
    test.skip(!DEPLOYMENT_ADMIN_TOKEN, NEEDS_FRESH_JOB);
    const title = uniqueText('QA job');
    const res = await fetch(`${this.baseURL}/api/admin/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${DEPLOYMENT_ADMIN_TOKEN}` },
      body: JSON.stringify({ client_email: CLIENT.email, worker_email: WORKER.email, title }),
    });
    if (res.status !== 201) throw new Error(`POST /api/admin/conversations answered ${res.status}: ${await res.text()}`);
    const { conversation_id: id } = (await res.json()) as { conversation_id: number };
    const client = await connectAs(this.baseURL, CLIENT.email, CLIENT.password);
    const worker = await connectAs(this.baseURL, WORKER.email, WORKER.password);
    try {
      const asked = await say(client, id, 'Hello, can you take this job this week?');
      worker.emit('mark_read', { conversation_id: id, up_to_seq: asked });
      const answered = await say(worker, id, 'Yes, I can start on Thursday.');
      client.emit('mark_read', { conversation_id: id, up_to_seq: answered });
      // A round trip on each socket (frames of a socket are handled in order): both marks are stored.
      await Promise.all([historyOverWire(client, id), historyOverWire(worker, id)]);
    } finally {
      client.close();
      worker.close();
    }
    return title;
  }
}
