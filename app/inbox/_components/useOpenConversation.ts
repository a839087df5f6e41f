import { useCallback } from 'react';
import { conversationOpened } from '../../../store';
import { useAppDispatch } from '../../../store/hooks';
import { pushConversation } from './route';

/** Opens a conversation (or none) the way a link would, but without a request: history + store. */
export function useOpenConversation(): (conversationId: number | null) => void {
  const dispatch = useAppDispatch();
  return useCallback(
    (conversationId: number | null) => {
      if (pushConversation(conversationId)) dispatch(conversationOpened({ conversationId }));
    },
    [dispatch],
  );
}
