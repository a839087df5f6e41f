import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { InboxShell } from '../_components/InboxShell';
import { conversationIdFromPath } from '../_components/route';
import { readUserHeader, USER_HEADER } from '../../../protocol/user-header';

export const metadata: Metadata = { title: 'Inbox · Stream Inbox' };

type Props = { params: Promise<{ conversationId?: string[] }> };

/** One route for /inbox and /inbox/{id}: the client shell owns the open conversation from here on. */
export default async function InboxPage({ params }: Props) {
  const user = readUserHeader((await headers()).get(USER_HEADER));
  if (!user) redirect('/login');
  const { conversationId = [] } = await params;
  const initialConversationId = conversationIdFromPath(['/inbox', ...conversationId].join('/'));
  return <InboxShell user={user} initialConversationId={initialConversationId} />;
}
