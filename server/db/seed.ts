// The demo data of CONTRACT section 2, seeded into an empty database.
import { hashPassword } from '../auth/password';
import type { Db } from './connect';
import { insertConversation } from './conversations';
import { newMessageId } from './messages';
import { insertUser } from './users';

const DEMO_PASSWORD = 'demo1234';

const PEOPLE = {
  casey: { email: 'client@demo.test', name: 'Casey Client', avatar: '/avatars/casey.svg' },
  wes: { email: 'worker@demo.test', name: 'Wes Worker', avatar: '/avatars/wes.svg' },
  wren: { email: 'worker2@demo.test', name: 'Wren Worker', avatar: '/avatars/wren.svg' },
} as const;
type Person = keyof typeof PEOPLE;

type DemoConversation = {
  title: string;
  client: Person;
  worker: Person;
  /** Oldest first: who says what. */
  lines: [Person, string][];
};

const CONVERSATIONS: DemoConversation[] = [
  {
    title: 'Fix my sink',
    client: 'casey',
    worker: 'wes',
    lines: [
      ['casey', 'Hi Wes! The kitchen sink has been dripping for a week and now the cabinet underneath is damp.'],
      ['wes', 'Hi Casey, thanks for booking. Is the drip from the tap itself or from the pipes under the sink?'],
      ['casey', 'From the pipes, I think. There is a small puddle around the trap every morning.'],
      ['wes', 'Sounds like a worn washer on the slip joint. I will bring replacement parts just in case.'],
      ['casey', 'Great. Does Thursday at 9 work for you?'],
      ['wes', 'Thursday at 9 is perfect. Please clear the cabinet so I can get at the pipes.'],
      ['casey', 'Done, it is all cleared out. See you Thursday!'],
    ],
  },
  {
    title: 'Paint the fence',
    client: 'casey',
    worker: 'wes',
    lines: [
      ['casey', 'Hello again! The back fence needs a fresh coat before the summer. About 20 metres long.'],
      ['wes', 'Happy to help. Is it bare wood or painted already?'],
      ['casey', 'Painted, but it is peeling in a few places.'],
      ['wes', 'Then I will scrape and sand the loose bits first, then two coats. Have you picked a colour?'],
      ['casey', 'Sage green, if that works with exterior paint.'],
      ['wes', 'It does. I will pick up the paint on Monday and start Tuesday if the weather holds.'],
    ],
  },
  {
    title: 'Assemble wardrobe',
    client: 'casey',
    worker: 'wren',
    lines: [
      ['casey', 'Hi Wren, I have a flat-pack wardrobe waiting in the bedroom. Two metres tall, three doors.'],
      ['wren', 'Hi Casey! Which model is it? I would like to check the instructions before I come.'],
      ['casey', 'It is the PAX one with sliding doors.'],
      ['wren', 'I know that one well. It should be anchored to the wall, is that alright?'],
      ['casey', 'Yes please, the wall is plasterboard over brick.'],
      ['wren', 'Perfect, I will bring the right plugs. About three hours in total.'],
      ['casey', 'Sounds good. Saturday morning?'],
      ['wren', 'Saturday at 10. See you then!'],
    ],
  },
];

/** Runs inside the caller's transaction or lock (see migrate.ts). */
export async function seedDemo(db: Db): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const ids = {} as Record<Person, number>;
  for (const [key, person] of Object.entries(PEOPLE) as [Person, (typeof PEOPLE)[Person]][]) {
    ids[key] = await insertUser(db, { ...person, passwordHash });
  }
  // Spread the history over the last day, a few minutes apart, so times and day separators look real.
  let minutesAgo = 26 * 60;
  for (const demo of CONVERSATIONS) {
    const conversationId = await insertConversation(db, {
      title: demo.title,
      clientId: ids[demo.client],
      workerId: ids[demo.worker],
      now: new Date(),
    });
    let seq = 0;
    let at = new Date();
    for (const [who, text] of demo.lines) {
      seq += 1;
      minutesAgo -= 7;
      at = new Date(Date.now() - minutesAgo * 60_000);
      await db
        .insertInto('messages')
        .values({
          public_id: newMessageId(),
          conversation_id: conversationId,
          seq,
          sender_id: ids[who],
          client_id: null,
          text,
          type: 'TEXT',
          created_at: at.toISOString(),
        })
        .execute();
    }
    await db
      .updateTable('conversations')
      .set({ last_seq: seq, last_activity_at: at.toISOString() })
      .where('id', '=', conversationId)
      .execute();
    // Both sides have read the demo history: badges start at zero.
    await db.updateTable('participants').set({ read_seq: seq }).where('conversation_id', '=', conversationId).execute();
    minutesAgo -= 5 * 60;
  }
}
