import { useEffect } from 'react';
import { selectConversationList, type RootState } from '../../../store';
import { useAppSelector } from '../../../store/hooks';

const TITLE = 'Stream Inbox';

const selectTotalUnread = (state: RootState): number =>
  selectConversationList(state).reduce((sum, conversation) => sum + conversation.unread_count, 0);

/** Shows the number of unread messages in the tab's title, as messengers do. */
export function UnreadTitle() {
  const unread = useAppSelector(selectTotalUnread);
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) ${TITLE}` : TITLE;
  }, [unread]);
  return null;
}
