// Read receipts: a message arriving in the conversation on screen is read at once, and every read mark
// the server has not confirmed goes out now if connected and again on every connect.
import { errorReceived, messageReceived, socketConnected } from '../events';
import { conversationRead } from '../intents';
import { connectionEnded, jittered, type AppStartListening } from '../listenerMiddleware';
import type { SocketLink } from '../socket/link';
import type { RootState } from '../reducer';

function sendMark(link: SocketLink, state: RootState, id: number): void {
  const upToSeq = state.reads.unconfirmed[id];
  if (upToSeq !== undefined) link.send('mark_read', { conversation_id: id, up_to_seq: upToSeq });
}

export function addReadsListeners(startListening: AppStartListening): void {
  // Read as it arrives on screen, so the read mark (and the other side's receipt) follows.
  // A predicate: an effect for every frame would cost the listener middleware an AbortController and a
  // promise each, for the few that arrive on screen (bench figure 4).
  startListening({
    predicate: (action): action is ReturnType<typeof messageReceived> =>
      messageReceived.match(action) && action.meta.open && !action.payload.message.is_mine,
    effect: ({ payload: { conversation_id: id, message } }, api) => {
      api.dispatch(conversationRead({ conversationId: id, upToSeq: message.seq }));
    },
  });

  startListening({
    actionCreator: conversationRead,
    effect: ({ payload: { conversationId: id } }, api) => {
      const before = api.getOriginalState().reads.unconfirmed[id];
      if (api.getState().reads.unconfirmed[id] !== before) sendMark(api.extra.link, api.getState(), id);
    },
  });

  startListening({
    actionCreator: socketConnected,
    effect: (_, api) => {
      const state = api.getState();
      for (const id of Object.keys(state.reads.unconfirmed)) sendMark(api.extra.link, state, Number(id));
    },
  });

  // A read mark refused as rate_limited is sent again once the bucket has refilled a little.
  startListening({
    actionCreator: errorReceived,
    effect: async ({ payload: { code, conversation_id: id } }, api) => {
      if (code !== 'rate_limited' || id === undefined) return;
      if (await api.condition(connectionEnded, jittered(1000))) return; // the next connect sends it
      sendMark(api.extra.link, api.getState(), id);
    },
  });
}
