// Edits and deletes in the cache (CONTRACT section 9), as case reducers of the messages slice (called on
// immer drafts). The server's changes merge by `rev`, whatever order they come in; mine are shown at once
// as a `MessageChange` over the cached copy, settled by their ack and rolled back when it refuses them.
import type { PayloadAction } from '@reduxjs/toolkit';
import type { Message, ProtocolError } from '../../protocol';
import { checkMessageText } from '../../protocol/text';
import {
  advanceGaplessSeq,
  applyChange,
  holdsHistory,
  isEmptyOutbox,
  noteGap,
  noteRev,
  type Thread,
  type ThreadMessage,
} from './thread';

type State = { byConversation: Record<number, Thread> };
type Requested = { conversationId: number; messageId: string; changeId: string; at: string };

/** A change of a message from the server (another tab's or the other side's, or my edit's ack). */
function merge(t: Thread, message: Message): void {
  const added = applyChange(t, message);
  noteRev(t, message.rev);
  if (added) advanceGaplessSeq(t);
  noteGap(t);
}

export function updateReceived(state: State, { payload: p }: PayloadAction<{ conversation_id: number; message: Message }>): void {
  const t = state.byConversation[p.conversation_id];
  if (t !== undefined && holdsHistory(t)) merge(t, p.message);
}

/** Only my own sent text messages, not deleted, can change. */
function changeable(t: Thread | undefined, id: string): ThreadMessage | undefined {
  const m = t?.entities[id];
  return m !== undefined && m.seq !== null && m.is_mine && m.message_type === 'TEXT' && !m.deleted ? m : undefined;
}

export function editRequested(state: State, { payload: p }: PayloadAction<Requested & { text: string }>): void {
  const t = state.byConversation[p.conversationId];
  const m = changeable(t, p.messageId);
  const text = checkMessageText(p.text);
  if (t === undefined || m === undefined || !text.ok) return;
  const pending = t.changes[p.messageId];
  const sending = pending?.status === 'sending' ? pending : undefined;
  if (sending?.kind === 'delete') return;
  // Saved unchanged: nothing to send (an edit back to the stored text while another is on its way is sent).
  if (text.data === (sending?.text ?? m.message_text)) return;
  t.changes[p.messageId] = { id: p.changeId, kind: 'edit', text: text.data, at: p.at, status: 'sending', error: null };
}

export function deleteRequested(state: State, { payload: p }: PayloadAction<Requested>): void {
  const t = state.byConversation[p.conversationId];
  if (t === undefined || changeable(t, p.messageId) === undefined) return;
  const pending = t.changes[p.messageId];
  if (pending?.kind === 'delete' && pending.status === 'sending') return;
  // A delete replaces an edit still on its way: the edit need not arrive first.
  t.changes[p.messageId] = { id: p.changeId, kind: 'delete', text: '', at: p.at, status: 'sending', error: null };
}

type Settled = { conversationId: number; messageId: string; changeId: string };

export function changeAcked(state: State, { payload: p }: PayloadAction<Settled & { message: Message }>): void {
  const t = state.byConversation[p.conversationId];
  if (t === undefined) return;
  if (t.changes[p.messageId]?.id === p.changeId) delete t.changes[p.messageId];
  if (holdsHistory(t)) merge(t, p.message);
  else if (isEmptyOutbox(t)) delete state.byConversation[p.conversationId];
}

export function changeFailed(state: State, { payload: p }: PayloadAction<Settled & { error: ProtocolError | null }>): void {
  const t = state.byConversation[p.conversationId];
  const change = t?.changes[p.messageId];
  if (t === undefined || change?.id !== p.changeId || change.status !== 'sending') return;
  const m = t.entities[p.messageId];
  // Already so: an earlier try of this very change was stored, and its result has reached the cache.
  if (m !== undefined && (change.kind === 'delete' ? m.deleted : !m.deleted && m.message_text === change.text)) {
    delete t.changes[p.messageId];
    return;
  }
  t.changes[p.messageId] = { ...change, status: 'refused', error: p.error };
}

export function changeDismissed(state: State, { payload: p }: PayloadAction<{ conversationId: number; messageId: string }>): void {
  const t = state.byConversation[p.conversationId];
  if (t?.changes[p.messageId]?.status !== 'refused') return;
  delete t.changes[p.messageId];
  if (isEmptyOutbox(t)) delete state.byConversation[p.conversationId];
}
