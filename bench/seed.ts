// Conversations full of messages for the browser figures: through the socket as a client would (the
// switching figure), or straight into the database with the server's own repository (the memory figure's
// 40,000 messages would take minutes through acked, fsynced sends).
import { openSqlite } from '../server/db/sqlite';
import { appendMessage } from '../server/db/messages';
import { findUserByEmail } from '../server/db/users';
import { addConversation, mapLimit, signIn, type Inbox } from './inbox';
import { connectClient } from './socket';

const LINES = [
  'Hi! Is the job still on for Thursday?',
  'Yes, I will bring the parts and the tools.',
  'Great. The key is under the mat, the dog is friendly.',
  'On my way, about fifteen minutes out.',
  'Done for today. I sent you a few photos of the work.',
];
const lineOf = (k: number) => `${LINES[k % LINES.length]!} (${k + 1})`;

/** `count` conversations between a client and a worker; their ids in creation order. */
export async function addConversations(inbox: Inbox, client: string, worker: string, count: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) ids.push(await addConversation(inbox, client, worker, `Job ${i + 1}`));
  return ids;
}

/** `perConversation` messages in each conversation, the two sides taking turns, sent and acked over sockets. */
export async function seedBySocket(
  inbox: Inbox,
  people: [string, string],
  conversations: number[],
  perConversation: number,
): Promise<void> {
  const sockets = await Promise.all(
    people.map(async (email) => connectClient(inbox.url, { cookie: await signIn(inbox, email) })),
  );
  const sends = conversations.flatMap((conversationId) =>
    Array.from({ length: perConversation }, (_, k) => ({ conversationId, k })),
  );
  try {
    await mapLimit(sends, 32, async ({ conversationId, k }) => {
      const ack = await sockets[k % 2]!.timeout(60_000).emitWithAck('send_message', {
        conversation_id: conversationId,
        message: lineOf(k),
        type: 'TEXT',
        client_id: `seed-${conversationId}-${k}`,
      });
      if (!ack.ok) throw new Error(`seed send refused: ${ack.error.code}`);
    });
  } finally {
    for (const socket of sockets) socket.close();
  }
}

/** The same conversation content, written into the database file with the server's repository. */
export async function seedInDatabase(
  databaseFile: string,
  people: [string, string],
  conversations: number[],
  perConversation: number,
): Promise<void> {
  // Its own connection, no writer thread: one transaction per conversation, nobody else writing.
  const db = openSqlite(databaseFile);
  try {
    const senders = await Promise.all(
      people.map(async (email) => {
        const user = await findUserByEmail(db, email);
        if (!user) throw new Error(`no user ${email}`);
        return { userId: user.id, name: user.name, avatar: user.avatar };
      }),
    );
    for (const conversationId of conversations) {
      await db.transaction().execute(async (trx) => {
        for (let k = 0; k < perConversation; k++) {
          await appendMessage(trx, { conversationId, sender: senders[k % 2]!, clientId: null, text: lineOf(k), type: 'TEXT' });
        }
      });
    }
  } finally {
    await db.destroy();
  }
}
