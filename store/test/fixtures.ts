// Builders of wire objects for store tests.
import type { Conversation, ConversationSummary, Message } from '../../protocol';

export function message(conversationId: number, seq: number, over: Partial<Message> = {}): Message {
  return {
    id: `m-${conversationId}-${seq}`,
    seq,
    conversation_id: conversationId,
    client_id: null,
    sender_name: 'Wes Worker',
    sender_avatar: '/avatars/wes.png',
    message_text: `message ${seq}`,
    message_type: 'TEXT',
    is_read: false,
    created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    is_mine: false,
    edited_at: null,
    deleted: false,
    rev: 0,
    ...over,
  };
}

export function messages(conversationId: number, from: number, to: number): Message[] {
  return Array.from({ length: to - from + 1 }, (_, i) => message(conversationId, from + i));
}

export function conversation(id: number, over: Partial<Conversation['job']> = {}): Conversation {
  return {
    id,
    my_role: 'CLIENT',
    counterpart: { name: 'Wes Worker', avatar: '/avatars/wes.png' },
    job: {
      id: 100 + id,
      title: `Job ${id}`,
      status: 'IN_PROGRESS',
      workerMarkedComplete: false,
      clientMarkedComplete: false,
      ...over,
    },
  };
}

export function summary(id: number, last: Message | null = null, unread = 0): ConversationSummary {
  const c = conversation(id);
  return { ...c, counterpart: { ...c.counterpart, online: false, last_seen_at: null }, last_message: last, unread_count: unread };
}

/** Freezes a reducer's input all the way down, so any mutation throws. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
