// Table types of the inbox database. They stay inside server/db: repositories map rows to the wire types
// of protocol/. Booleans are stored as 0/1 integers and timestamps as ISO 8601 text, so that every query
// reads the same on SQLite and PostgreSQL.
import type { Generated, Insertable, Selectable } from 'kysely';
import type { JobStatus, MessageType, Role } from '../../protocol';

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  avatar: string;
  password_hash: string;
  /** When the user's last socket went (presence); null if never seen, and not cleared while online. */
  last_seen_at: string | null;
}

export interface SessionsTable {
  id: Generated<number>;
  /** HMAC-SHA256 of the token keyed by the session secret: a leaked table holds no usable token. */
  token_hash: string;
  user_id: number;
  created_at: string;
  expires_at: string;
  revoked: number;
}

export interface JobsTable {
  id: Generated<number>;
  title: string;
  status: JobStatus;
  worker_marked_complete: number;
  client_marked_complete: number;
}

export interface ConversationsTable {
  id: Generated<number>;
  job_id: number;
  /** The seq of the newest message: the counter every send increments. */
  last_seq: number;
  last_activity_at: string;
  /** Raised by one by every edit or delete of one of its messages. */
  rev: Generated<number>;
}

export interface ParticipantsTable {
  conversation_id: number;
  user_id: number;
  role: Role;
  read_seq: number;
}

export interface MessagesTable {
  id: Generated<number>;
  public_id: string;
  conversation_id: number;
  seq: number;
  sender_id: number;
  client_id: string | null;
  text: string;
  type: MessageType;
  created_at: string;
  /** When the text was last edited; null if never. */
  edited_at: string | null;
  /** 1: a tombstone, its text erased. */
  deleted: Generated<number>;
  /** The conversation's rev at its last edit or delete; 0 if never changed. */
  rev: Generated<number>;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  jobs: JobsTable;
  conversations: ConversationsTable;
  participants: ParticipantsTable;
  messages: MessagesTable;
  settings: SettingsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewMessage = Insertable<MessagesTable>;
