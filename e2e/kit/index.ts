// The QA kit: everything a network-tab scenario needs, from one import (see e2e/README.md).
//
//   import { expect, test, TITLES, uniqueText } from './kit';
//
//   test('opening a conversation asks for its history once', async ({ casey }) => {
//     const opened = casey.net.mark();
//     const id = await casey.inbox.open(TITLES.sink);
//     await casey.net.quiet();
//     expect(casey.net).toHaveSentOnce('get_messages', { conversation_id: id }, { since: opened });
//     expect(casey.net).toHaveOnlyTheInboxSocket();
//   });
import { expect as baseExpect } from '@playwright/test';
import { test as kitTest } from './fixtures';
import { networkMatchers } from './matchers';

/** Playwright's `test` with the fixtures `casey`, `wes`, `people`, `jobs`, `site` and `server`. */
export const test = kitTest;

/** Playwright's `expect` with the network matchers (`toHaveSentOnce`, `toHaveSentNothingSince` …). */
export const expect = baseExpect.extend(networkMatchers);

export type { ConsoleLine, DomLog, EnterOptions, KitFixtures, People, Person, Site } from './fixtures';
export type { CountQuery, FrameQuery } from './matchers';
export { contains } from './matchers';
export { Jobs, canMarkAJob, NEEDS_FRESH_JOB } from './jobs';
export {
  CLIENT,
  DEPLOYMENT_URL,
  emailForAWrongPassword,
  NEEDS_OWN_SERVER,
  onDeployment,
  passwordFor,
  WORKER,
  type Account,
} from './target';
export { brief, markdownTimeline, rows, textLines, type Row } from './timeline';
export {
  NetworkRecorder,
  type Direction,
  type Frame,
  type Mark,
  type RecordedRequest,
  type RecordedSocket,
} from '../../test/support/network-recorder';
export { decodeFrame, type DecodedFrame, type FrameKind } from '../../test/support/socket-frames';
export { type DomEvent } from '../support/dom-recorder';
export { CASEY, InboxPage, TITLES, uniqueText, WES } from '../support/inbox-page';
export { connectAs, connectWire, historyOverWire, sendOverWire, type WireSocket } from '../support/wire-client';
