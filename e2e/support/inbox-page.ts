// The inbox as a person uses it, located by role and label first and by the test ids of CONTRACT
// section 5 where no role fits.
import { expect, type Locator, type Page } from '@playwright/test';
import { CLIENT, passwordFor, WORKER } from '../kit/target';

/** The client's and the worker's email: the demo accounts, or E2E_CLIENT_EMAIL / E2E_WORKER_EMAIL on a deployment. */
export const CASEY = CLIENT.email;
export const WES = WORKER.email;
export const TITLES = { sink: 'Fix my sink', fence: 'Paint the fence', wardrobe: 'Assemble wardrobe' } as const;

/** A message text no other test or seed line contains. */
export function uniqueText(prefix: string): string {
  return `${prefix} #${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class InboxPage {
  constructor(readonly page: Page) {}

  /** Signs in through the real form and waits for the inbox to be connected with its list shown. */
  async signIn(email: string, password = passwordFor(email)): Promise<void> {
    await this.submitLogin(email, password);
    await this.page.waitForURL('**/inbox');
    await this.ready();
  }

  /**
   * Signs in the way the sign-in page does, without showing it (POST /api/session; the cookie lands in this
   * browser context), then opens the inbox and waits as `signIn` does: for scenarios about what comes after.
   */
  async signInDirectly(email: string, password = passwordFor(email)): Promise<void> {
    const res = await this.page.request.post('/api/session', { data: { email, password } });
    if (res.status() !== 200) throw new Error(`sign-in of ${email} answered ${res.status()}: ${await res.text()}`);
    await this.page.goto('/inbox');
    await this.ready();
  }

  async submitLogin(email: string, password: string): Promise<void> {
    await this.page.goto('/login');
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
  }

  async ready(): Promise<void> {
    // The first connect includes the server's first page render: give a busy machine some room.
    await expect(this.connection()).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
    await expect(this.links().first()).toBeVisible();
  }

  nav(): Locator {
    return this.page.getByRole('navigation', { name: 'Conversations' });
  }

  links(): Locator {
    return this.nav().getByRole('link');
  }

  link(title: string): Locator {
    return this.links().filter({ hasText: new RegExp(escapeRegExp(title)) });
  }

  async conversationId(title: string): Promise<number> {
    const testId = await this.link(title).getAttribute('data-testid');
    const id = /^conversation-(\d+)$/.exec(testId ?? '')?.[1];
    if (!id) throw new Error(`no conversation id on the link of "${title}" (data-testid=${testId})`);
    return Number(id);
  }

  /** Clicks the conversation in the list and waits until its thread is open with its history shown. */
  async open(title: string): Promise<number> {
    const id = await this.conversationId(title);
    await this.link(title).click();
    await this.shows(id);
    return id;
  }

  /** Waits until conversation `id` is the open thread, at its address, loaded (every demo one has messages). */
  async shows(id: number): Promise<void> {
    await expect(this.page).toHaveURL(new RegExp(`/inbox/${id}$`));
    await expect(this.thread()).toHaveAttribute('data-conversation-id', String(id));
    await expect(this.loading()).toHaveCount(0);
    await expect(this.messages().first()).toBeVisible();
  }

  thread(): Locator {
    return this.page.getByRole('log').and(this.page.getByTestId('thread'));
  }

  messages(): Locator {
    return this.thread().getByTestId('message');
  }

  message(text: string): Locator {
    return this.messages().filter({ hasText: text });
  }

  /** The text of every message in the open thread, in order (as rendered: text plus time and ticks). */
  async messageTexts(): Promise<string[]> {
    return this.messages().allInnerTexts();
  }

  loading(): Locator {
    return this.page.getByTestId('thread-loading');
  }

  composer(): Locator {
    return this.page.getByRole('textbox', { name: 'Message' });
  }

  async send(text: string): Promise<void> {
    await this.composer().fill(text);
    await this.composer().press('Enter');
  }

  jobStatus(): Locator {
    return this.page.getByTestId('job-status');
  }

  markCompleteButton(): Locator {
    return this.page.getByRole('button', { name: 'Mark complete' });
  }

  connection(): Locator {
    return this.page.getByTestId('connection-status');
  }

  // ---- edits and deletes, typing, presence (CONTRACT sections 8 and 9) ----

  /** A message's own Edit or Delete button (shown on hover and on focus). */
  messageAction(text: string, name: 'Edit' | 'Delete'): Locator {
    return this.message(text).getByRole('button', { name, exact: true });
  }

  /** The inline editor of a message. */
  editor(): Locator {
    return this.page.getByRole('textbox', { name: 'Edit text' });
  }

  deleteDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Delete message?' });
  }

  /** Edits one of my messages with the mouse: Edit, the new text, Enter. */
  async editMessage(text: string, newText: string): Promise<void> {
    await this.message(text).hover();
    await this.messageAction(text, 'Edit').click();
    await this.editor().fill(newText);
    await this.editor().press('Enter');
  }

  /** Deletes one of my messages with the mouse: Delete, then Delete in the dialog. */
  async deleteMessage(text: string): Promise<void> {
    await this.message(text).hover();
    await this.messageAction(text, 'Delete').click();
    await this.deleteDialog().getByRole('button', { name: 'Delete' }).click();
  }

  deletedMessages(): Locator {
    return this.messages().and(this.page.locator('[data-deleted="true"]'));
  }

  typing(): Locator {
    return this.page.getByTestId('typing');
  }

  presence(): Locator {
    return this.page.getByTestId('presence');
  }

  unreadBadge(title: string): Locator {
    return this.link(title).getByTestId('unread-count');
  }

  async unreadCount(title: string): Promise<number> {
    const badge = this.unreadBadge(title);
    return (await badge.count()) === 0 ? 0 : Number((await badge.innerText()).trim());
  }
}
