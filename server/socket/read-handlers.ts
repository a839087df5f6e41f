// mark_read: a participant has read up to a seq; both sides learn it (for badges and read ticks).
import type { MarkReadPayload } from '../../protocol';
import { markRead } from '../db/reads';
import { toEachUser } from './broadcast';
import { requireConversation, type Scope } from './scope';

export async function markReadFrame(scope: Scope, payload: MarkReadPayload): Promise<void> {
  const conversationId = payload.conversation_id;
  const view = await requireConversation(scope, conversationId);
  const upToSeq = await markRead(scope.ctx, {
    conversationId,
    userId: scope.user.userId,
    upToSeq: payload.up_to_seq,
    lastSeq: view.lastSeq,
  });
  const read = (readerIsMe: boolean) => ({ conversation_id: conversationId, up_to_seq: upToSeq, reader_is_me: readerIsMe });
  toEachUser(scope.ctx.io, 'read', [
    [scope.user.userId, read(true)],
    [view.counterpartId, read(false)],
  ]);
}
