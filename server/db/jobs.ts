// Jobs: each side marks its job complete once; when both have, the job is COMPLETED.
import type { Role } from '../../protocol';
import type { Connected, Db } from './connect';
import { appendMessage, type MessageRecord, type Sender } from './messages';

export type MarkInput = { conversationId: number; jobId: number; role: Role; marker: Sender };

/** The SYSTEM message the marking adds, or null when this side had already marked (a no-op). */
export function markJobComplete({ write }: Pick<Connected, 'write'>, input: MarkInput): Promise<MessageRecord | null> {
  return write('markJobComplete', input);
}

/** markJobComplete's unit of work, in the transaction `trx`. */
export async function markJobCompleteIn(trx: Db, input: MarkInput): Promise<MessageRecord | null> {
  const flag = input.role === 'CLIENT' ? 'client_marked_complete' : 'worker_marked_complete';
  // Setting the flag only where it is unset makes a repeat a no-op, and the row lock makes two sides
  // marking at once see each other's flag in RETURNING.
  const marked = await trx
    .updateTable('jobs')
    .set({ [flag]: 1 })
    .where('id', '=', input.jobId)
    .where(flag, '=', 0)
    .returning(['client_marked_complete', 'worker_marked_complete'])
    .executeTakeFirst();
  if (!marked) return null;
  const both = marked.client_marked_complete === 1 && marked.worker_marked_complete === 1;
  if (both) await trx.updateTable('jobs').set({ status: 'COMPLETED' }).where('id', '=', input.jobId).execute();
  const text = `${input.marker.name} marked the job complete${both ? '. Job completed.' : ''}`;
  const system = await appendMessage(trx, {
    conversationId: input.conversationId,
    sender: input.marker,
    clientId: null,
    text,
    type: 'SYSTEM',
  });
  // Without a client_id nothing can conflict.
  if (!system) throw new Error('a SYSTEM message was not stored');
  return system;
}
