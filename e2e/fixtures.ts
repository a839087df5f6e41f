// Fixtures every spec uses: a fresh server with a fresh database per test (a production server process, from
// test/support/), and people (a browser context each, with a network recorder, a DOM recorder and the inbox
// page object). Casey and Wes arrive signed in.
import { test as base, expect, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import { NetworkRecorder } from '../test/support/network-recorder';
import { ServerProcess } from '../test/support/server-process';
import { domEvents, installDomRecorder } from './support/dom-recorder';
import { CASEY, InboxPage, WES } from './support/inbox-page';

export type ConsoleLine = { type: string; text: string };

export type Person = {
  name: string;
  context: BrowserContext;
  page: Page;
  net: NetworkRecorder;
  inbox: InboxPage;
  console: ConsoleLine[];
  pageErrors: string[];
};

export type EnterOptions = {
  /** Sign in through the login form with this email; omitted: a visitor without a session. */
  email?: string;
  /** Sets localStorage["stream-debug"] = "1" before any page script runs. */
  debug?: boolean;
  viewport?: { width: number; height: number };
};

export type People = { enter(name: string, options?: EnterOptions): Promise<Person> };

type Fixtures = { server: ServerProcess; people: People; casey: Person; wes: Person };

function failed(testInfo: TestInfo): boolean {
  return testInfo.status !== testInfo.expectedStatus;
}

export const test = base.extend<Fixtures>({
  // Its own timeout: starting a server is setup, not the scenario (slow on a busy 2-core machine).
  server: [
    async ({}, use, testInfo) => {
      const server = await ServerProcess.fresh({ web: true });
      try {
        await server.start();
        await use(server);
      } finally {
        await server.dispose();
        if (failed(testInfo)) await testInfo.attach('server.log', { body: server.log(), contentType: 'text/plain' });
      }
    },
    { timeout: 90_000 },
  ],

  people: async ({ browser, server }, use, testInfo) => {
    const everyone: Person[] = [];
    const enter = async (name: string, options: EnterOptions = {}): Promise<Person> => {
      const context = await browser.newContext({
        baseURL: server.url,
        viewport: options.viewport ?? { width: 1280, height: 800 },
      });
      await installDomRecorder(context);
      if (options.debug) await context.addInitScript(() => localStorage.setItem('stream-debug', '1'));
      const page = await context.newPage();
      const person: Person = {
        name,
        context,
        page,
        net: new NetworkRecorder(page),
        inbox: new InboxPage(page),
        console: [],
        pageErrors: [],
      };
      page.on('console', (msg) => person.console.push({ type: msg.type(), text: msg.text() }));
      page.on('pageerror', (error) => person.pageErrors.push(String(error.stack ?? error)));
      everyone.push(person);
      if (options.email) await person.inbox.signIn(options.email);
      return person;
    };
    await use({ enter });
    for (const person of everyone) {
      if (failed(testInfo)) {
        const dom = await domEvents(person.page).catch(() => []);
        await testInfo.attach(`${person.name}-network.json`, {
          body: JSON.stringify(person.net, null, 2),
          contentType: 'application/json',
        });
        await testInfo.attach(`${person.name}-page.json`, {
          body: JSON.stringify({ url: person.page.url(), console: person.console, pageErrors: person.pageErrors, dom }, null, 2),
          contentType: 'application/json',
        });
      }
      await person.context.close();
    }
    // An uncaught exception in a page is a bug whatever the scenario.
    for (const person of everyone) expect(person.pageErrors, `uncaught errors in ${person.name}'s page`).toEqual([]);
    for (const person of everyone) expect(person.net.undecodable, `undecodable frames in ${person.name}'s page`).toEqual([]);
  },

  casey: [async ({ people }, use) => use(await people.enter('casey', { email: CASEY })), { timeout: 60_000 }],
  wes: [async ({ people }, use) => use(await people.enter('wes', { email: WES })), { timeout: 60_000 }],
});

export { expect };
