// The fixtures of every scenario: where the inbox is (a fresh server of the test's own, or the deployment
// named by E2E_BASE_URL), and people: a browser context each, with the network recorder, the DOM recorder
// and the inbox page object. `casey` and `wes` arrive signed in (the client and the worker account).
import { test as base, expect, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import { NetworkRecorder } from '../../test/support/network-recorder';
import { startServerProcess, type ServerProcess } from '../../test/support/server-process';
import { domEvents, domEventsSince, domMark, installDomRecorder, type DomEvent } from '../support/dom-recorder';
import { InboxPage } from '../support/inbox-page';
import { Jobs } from './jobs';
import { CLIENT, DEPLOYMENT_URL, NEEDS_OWN_SERVER, passwordFor, WORKER } from './target';
import { markdownTimeline } from './timeline';

export type ConsoleLine = { type: string; text: string };

/** What the page showed, as the MutationObserver saw it (loading placeholder, message statuses, connection). */
export type DomLog = {
  /** A checkpoint: `since(mark)` returns what happened after it. */
  mark(): Promise<number>;
  since(mark: number): Promise<DomEvent[]>;
  all(): Promise<DomEvent[]>;
};

export type Person = {
  name: string;
  context: BrowserContext;
  page: Page;
  /** Every request, WebSocket and decoded socket.io frame of the page. */
  net: NetworkRecorder;
  /** The inbox as a person uses it: open(title), send(text), messages(), composer() … */
  inbox: InboxPage;
  dom: DomLog;
  console: ConsoleLine[];
  pageErrors: string[];
};

export type EnterOptions = {
  /** Sign in through the login form with this email; omitted: a visitor without a session. */
  email?: string;
  /** Its password; by default the one configured for that account (E2E_*_PASSWORD, or the demo one). */
  password?: string;
  /**
   * Sign in through the sign-in page, as a person does; by default straight through POST /api/session, as
   * that page does (the page itself has scenarios of its own, and sparing it spares every test a second).
   */
  throughForm?: boolean;
  /** Sets localStorage["stream-debug"] = "1" before any page script runs. */
  debug?: boolean;
  viewport?: { width: number; height: number };
};

export type People = { enter(name: string, options?: EnterOptions): Promise<Person> };

/** Where the scenario's inbox is: its URL, and the server process when the test has one of its own. */
export type Site = { url: string; server: ServerProcess | null };

export type KitFixtures = {
  site: Site;
  /** The test's own server process (restart it, read its database). Skips the test on a deployment. */
  server: ServerProcess;
  people: People;
  casey: Person;
  wes: Person;
  /** Jobs nobody has marked complete, for scenarios that mark one. */
  jobs: Jobs;
};

function failed(testInfo: TestInfo): boolean {
  return testInfo.status !== testInfo.expectedStatus;
}

async function attachRecordings(person: Person, testInfo: TestInfo): Promise<void> {
  const dom = await person.dom.all().catch(() => []);
  const url = person.page.isClosed() ? '' : person.page.url();
  await testInfo.attach(`${person.name}-timeline.md`, {
    body: markdownTimeline(person.name, person.net, dom, url),
    contentType: 'text/markdown',
  });
  await testInfo.attach(`${person.name}-network.json`, {
    body: JSON.stringify(person.net, null, 2),
    contentType: 'application/json',
  });
  await testInfo.attach(`${person.name}-page.json`, {
    body: JSON.stringify({ url, console: person.console, pageErrors: person.pageErrors, dom }, null, 2),
    contentType: 'application/json',
  });
}

/** A fresh production server with its own database, started. */
const freshServer = (): Promise<ServerProcess> => startServerProcess({ web: true });

/**
 * Every test gets a server of its own, and starting one takes about 2 s: so the worker starts the next
 * test's server while the current test runs, and a test takes the one already started.
 */
class ServerPool {
  private spare: Promise<ServerProcess> | null = null;

  /** The started spare, or a new one; the next spare starts at once. */
  async take(): Promise<ServerProcess> {
    const taken = this.spare ?? freshServer();
    this.spare = freshServer();
    this.spare.catch(() => undefined); // a failed start surfaces in the test that takes it
    return taken;
  }

  async close(): Promise<void> {
    const spare = await this.spare?.catch(() => null);
    this.spare = null;
    await spare?.dispose();
  }
}

export type WorkerFixtures = { serverPool: ServerPool };

export const test = base.extend<KitFixtures, WorkerFixtures>({
  serverPool: [
    async ({}, use) => {
      const pool = new ServerPool();
      await use(pool);
      await pool.close();
    },
    { scope: 'worker', timeout: 90_000 },
  ],

  // Starting a server is setup, not the scenario: its own timeout (slow on a busy 2-core machine).
  site: [
    async ({ serverPool }, use, testInfo) => {
      if (DEPLOYMENT_URL) return use({ url: DEPLOYMENT_URL, server: null });
      const server = await serverPool.take();
      try {
        await use({ url: server.url, server });
      } finally {
        await server.dispose();
        if (failed(testInfo)) await testInfo.attach('server.log', { body: server.log(), contentType: 'text/plain' });
      }
    },
    { timeout: 90_000 },
  ],

  server: async ({ site }, use) => {
    test.skip(site.server === null, NEEDS_OWN_SERVER.server);
    await use(site.server as ServerProcess);
  },

  people: async ({ browser, site }, use, testInfo) => {
    const everyone: Person[] = [];
    const enter = async (name: string, options: EnterOptions = {}): Promise<Person> => {
      const context = await browser.newContext({
        baseURL: site.url,
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
        dom: { mark: () => domMark(page), since: (mark) => domEventsSince(page, mark), all: () => domEvents(page) },
        console: [],
        pageErrors: [],
      };
      page.on('console', (msg) => person.console.push({ type: msg.type(), text: msg.text() }));
      page.on('pageerror', (error) => person.pageErrors.push(String(error.stack ?? error)));
      everyone.push(person);
      if (options.email) {
        const password = options.password ?? passwordFor(options.email);
        if (options.throughForm) await person.inbox.signIn(options.email, password);
        else await person.inbox.signInDirectly(options.email, password);
      }
      return person;
    };
    await use({ enter });
    for (const person of everyone) {
      if (failed(testInfo)) await attachRecordings(person, testInfo);
      await person.context.close();
    }
    // An uncaught exception in a page is a bug whatever the scenario.
    for (const person of everyone) expect(person.pageErrors, `uncaught errors in ${person.name}'s page`).toEqual([]);
    for (const person of everyone) expect(person.net.undecodable, `undecodable frames in ${person.name}'s page`).toEqual([]);
  },

  casey: [async ({ people }, use) => use(await people.enter('casey', { email: CLIENT.email })), { timeout: 60_000 }],
  wes: [async ({ people }, use) => use(await people.enter('wes', { email: WORKER.email })), { timeout: 60_000 }],

  jobs: async ({ site }, use) => use(new Jobs(site.url)),
});
