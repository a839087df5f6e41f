// The wire protocol of the inbox socket (CONTRACT.md section 4): the one place both the server and the
// browser take their event names and payload types from. Client → server payloads are zod schemas, and
// their types are inferred from them (schemas.ts); this file holds what the server sends.

export const SOCKET_PATH = '/ws/inbox/';

/** Limits of the protocol, shared so that the browser can check before it sends. */
export const LIMITS = {
  messageMaxChars: 4000,
  clientIdMaxChars: 64,
  pageDefault: 50,
  pageMax: 200,
  /** `sync` answers at most this many missed messages; beyond it the latest page replaces the cache. */
  syncMaxGap: 200,
  /** Entries of one `sync` (each conversation at most once, and no more than the user has). */
  syncMaxEntries: 500,
  /** A `sync` costs one token of the rate limit per this many entries (rounded up). */
  syncEntriesPerToken: 10,
  /** socket.io's maxHttpBufferSize: a larger frame may close the connection. */
  maxFrameBytes: 100_000,
  /** A composer that holds text sends `typing` at most this often (CONTRACT section 8). */
  typingEveryMs: 3000,
  /** The other side shows "… is typing" this long after the last `typing`, unless a message comes first. */
  typingShownMs: 6000,
} as const;

export type Role = 'CLIENT' | 'WORKER';
export type JobStatus = 'IN_PROGRESS' | 'COMPLETED';
export type MessageType = 'TEXT' | 'SYSTEM';

export type Message = {
  /** Opaque: never a database row id that could be enumerated. */
  id: string;
  /** 1, 2, 3 … per conversation, no gaps: the order of the conversation. */
  seq: number;
  conversation_id: number;
  /** The sender's client_id, so its optimistic copy can be replaced. */
  client_id: string | null;
  sender_name: string;
  sender_avatar: string;
  message_text: string;
  message_type: MessageType;
  is_read: boolean;
  /** ISO 8601, the clock of the process that stored it. */
  created_at: string;
  /** Computed for each recipient. */
  is_mine: boolean;
  /** When its text was last edited; null if never. */
  edited_at: string | null;
  /** A tombstone: the text is erased (`message_text` is ""), `seq`, sender and time stay. */
  deleted: boolean;
  /** The conversation revision of its last edit or delete; 0 for a message never changed. */
  rev: number;
};

export type Job = {
  id: number;
  title: string;
  status: JobStatus;
  workerMarkedComplete: boolean;
  clientMarkedComplete: boolean;
};

export type Conversation = {
  id: number;
  my_role: Role;
  counterpart: { name: string; avatar: string };
  job: Job;
};

/** The counterpart as the list shows it: who, and whether they hold a socket anywhere now. */
export type Counterpart = Conversation['counterpart'] & {
  online: boolean;
  /** When their last socket went; null while online or when never seen. */
  last_seen_at: string | null;
};

export type ConversationSummary = Omit<Conversation, 'counterpart'> & {
  counterpart: Counterpart;
  last_message: Message | null;
  unread_count: number;
};

export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'too_large';

export type ProtocolError = { code: ErrorCode; message: string };

/** An `error` event: the error, plus the conversation it concerns where one applies. */
export type ErrorEvent = ProtocolError & { conversation_id?: number };

export type Ack<T> = ({ ok: true } & T) | { ok: false; error: ProtocolError };
export type SendMessageAck = Ack<{ message: Message }>;
/** The ack of `edit_message` and `delete_message`: the message as it is now. */
export type MessageChangeAck = Ack<{ message: Message }>;
export type MarkCompleteAck = Ack<{ conversation: Conversation }>;

// ---- server → client payloads ----

export type ConversationsEvent = { conversations: ConversationSummary[] };
export type MessagesResponseEvent = {
  conversation_id: number;
  /** Oldest first. */
  messages: Message[];
  conversation: Conversation;
  has_more: boolean;
  /** The conversation's revision: raised by one by every edit or delete in it. */
  rev: number;
  /**
   * Present when this answers a `sync` entry: every message after it follows, and, when the entry named
   * `after_rev`, every message changed after that revision too, whatever its seq.
   */
  after_seq?: number;
};
export type MessageEvent = { conversation_id: number; message: Message };
export type ConversationUpdatedEvent = { conversation_id: number; conversation: Conversation };
export type ReadEvent = { conversation_id: number; up_to_seq: number; reader_is_me: boolean };
/** An edit or a delete (then `message.deleted` and an empty text). */
export type MessageUpdatedEvent = { conversation_id: number; message: Message };
/** The other participant is typing in this conversation (ephemeral: never stored, never acked). */
export type TypingEvent = { conversation_id: number; name: string };
/** The counterpart of this conversation came online (first socket) or went offline (last socket gone). */
export type PresenceEvent = { conversation_id: number; online: boolean; last_seen_at: string | null };

export interface ServerToClientEvents {
  conversations: (payload: ConversationsEvent) => void;
  messages_response: (payload: MessagesResponseEvent) => void;
  message: (payload: MessageEvent) => void;
  conversation_updated: (payload: ConversationUpdatedEvent) => void;
  read: (payload: ReadEvent) => void;
  message_updated: (payload: MessageUpdatedEvent) => void;
  typing: (payload: TypingEvent) => void;
  presence: (payload: PresenceEvent) => void;
  error: (payload: ErrorEvent) => void;
}

export type ServerEventName = keyof ServerToClientEvents;

/** Every server event once: the record's keys must be exactly ServerEventName, so none can be missed. */
const serverEvents: Record<ServerEventName, true> = {
  conversations: true,
  messages_response: true,
  message: true,
  conversation_updated: true,
  read: true,
  message_updated: true,
  typing: true,
  presence: true,
  error: true,
};
export const SERVER_EVENTS = Object.keys(serverEvents) as readonly ServerEventName[];
