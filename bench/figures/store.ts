// Figure 4, the store in Node: `message` frames spread over many conversations (some of them loaded)
// through the real store (reducers, listeners, no socket; built as in production, without RTK's dev checks) and the page's selectors, against
// a store whose reducer only appends to an array; and how often a frame recomputes another conversation's
// thread selector.
import { configureStore, type UnknownAction } from '@reduxjs/toolkit';
import type { MessageEvent } from '../../protocol';
import { conversationOpened, makeStore, selectConversationList, selectThread } from '../../store';
import { conversationsReceived, messageReceived, historyLoaded } from '../../store/events';
import { conversation, message, messages, summary } from '../../store/test/fixtures';
import type { Sizes } from '../sizes';

const HISTORY = 20;

export type StoreResult = {
  frames: number;
  usPerFrame: number;
  baselineUsPerFrame: number;
  /**
   * The same work in CPU time of this process (user + system, from process.cpuUsage), over a second pass
   * timed as a whole: on a shared machine the wall clock also counts the time the process waited for a
   * core, several times the work at a load average of 5 on 2 cores.
   */
  cpuUsPerFrame: number;
  baselineCpuUsPerFrame: number;
  /** Thread selector recomputations a frame caused for its own (loaded) conversation, and for others. */
  ownRecomputations: number;
  foreignRecomputations: number;
};

function framesFor(sizes: Sizes['store']): MessageEvent[] {
  const nextSeq = new Map<number, number>();
  return Array.from({ length: sizes.frames }, (_, i) => {
    const id = 1 + (i % sizes.conversations);
    const seq = nextSeq.get(id) ?? HISTORY + 1;
    nextSeq.set(id, seq + 1);
    return { conversation_id: id, message: message(id, seq) };
  });
}

/** Every conversation listed, the first `loaded` of them opened and loaded, the first one left open. */
function loadedStore(sizes: Sizes['store']) {
  const store = makeStore({ devChecks: false });
  const ids = Array.from({ length: sizes.conversations }, (_, i) => i + 1);
  store.dispatch(conversationsReceived({ conversations: ids.map((id) => summary(id, message(id, HISTORY))) }));
  const loaded = ids.slice(0, sizes.loaded);
  for (const id of [...loaded].reverse()) {
    store.dispatch(conversationOpened({ conversationId: id }));
    store.dispatch(
      historyLoaded({ conversation_id: id, messages: messages(id, 1, HISTORY), conversation: conversation(id), has_more: false, rev: 0 }),
    );
  }
  return { store, loaded, openId: loaded[0]! };
}

/** Microseconds of CPU (user + system) since `since`. */
const cpuSince = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return used.user + used.system;
};

function timeAll(run: () => void, frames: number): { wall: number; cpu: number } {
  const cpu = process.cpuUsage();
  const started = performance.now();
  run();
  return { wall: ((performance.now() - started) * 1000) / frames, cpu: cpuSince(cpu) / frames };
}

export function storeFigure(sizes: Sizes['store']): StoreResult {
  const frames = framesFor(sizes);
  const { store, loaded, openId } = loadedStore(sizes);
  const loadedIds = new Set(loaded);
  // Every loaded thread is selected after every frame (outside the timing): only the frame's own thread
  // may recompute.
  const selectAll = () => loaded.map((id) => selectThread(store.getState(), id));
  selectAll();
  selectThread.resetRecomputations();
  let ownRecomputations = 0;
  let elapsed = 0;
  for (const frame of frames) {
    // What the page does per frame: the reducers and listeners, then the open thread and the list.
    const started = performance.now();
    store.dispatch(messageReceived(frame, frame.conversation_id === openId));
    const state = store.getState();
    selectThread(state, openId);
    selectConversationList(state);
    elapsed += performance.now() - started;
    if (loadedIds.has(frame.conversation_id)) ownRecomputations += 1;
    selectAll();
  }
  const foreignRecomputations = selectThread.recomputations() - ownRecomputations;

  // CPU time: the same frames through a fresh store, the loop timed as a whole (a clock read per frame,
  // process.cpuUsage a system call, would be a fifth of what it measures), without the selections above.
  const fresh = loadedStore(sizes);
  const work = timeAll(() => {
    for (const frame of frames) {
      fresh.store.dispatch(messageReceived(frame, frame.conversation_id === fresh.openId));
      const state = fresh.store.getState();
      selectThread(state, fresh.openId);
      selectConversationList(state);
    }
  }, frames.length);

  const appendOnly = (state: MessageEvent[] = [], action: UnknownAction) => {
    if (messageReceived.match(action)) state.push(action.payload);
    return state;
  };
  const trivial = configureStore({ reducer: appendOnly });
  const baseline = timeAll(() => {
    for (const frame of frames) trivial.dispatch(messageReceived(frame, false));
  }, frames.length);

  return {
    frames: frames.length,
    usPerFrame: (elapsed * 1000) / frames.length,
    baselineUsPerFrame: baseline.wall,
    cpuUsPerFrame: work.cpu,
    baselineCpuUsPerFrame: baseline.cpu,
    ownRecomputations,
    foreignRecomputations,
  };
}
