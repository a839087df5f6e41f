// Where the keyboard focus is and whether a person can see it: the focused element matches
// :focus-visible and draws an indicator (an outline, or a ring-shaped box-shadow on it or on the field
// around it, for fields styled with :focus-within), and it is on screen. Measured after the element's
// transitions have run.
import { expect, type Page } from '@playwright/test';

export type Focus = { what: string; visible: boolean; indicator: string | null; onScreen: boolean };

export async function currentFocus(page: Page): Promise<Focus> {
  return page.evaluate(async () => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) {
      return { what: '<body>', visible: false, indicator: null, onScreen: false };
    }
    // A ring that fades in is measured once it is there.
    const fading = [el, el.parentElement].flatMap((node) => node?.getAnimations() ?? []);
    await Promise.all(fading.map((animation) => animation.finished.catch(() => undefined)));
    const name =
      el.getAttribute('aria-label') ??
      (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? el.labels?.[0]?.textContent : null) ??
      el.textContent?.trim().slice(0, 40);
    const what = `<${el.tagName.toLowerCase()}> ${name ?? ''}`.trim();
    const drawn = (node: Element): string | null => {
      const style = getComputedStyle(node);
      const transparent = (colour: string) => /rgba\([^)]*,\s*0\)$/.test(colour) || colour === 'transparent';
      if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1 && !transparent(style.outlineColor)) {
        return `outline ${style.outlineWidth} ${style.outlineStyle} ${style.outlineColor}`;
      }
      // A ring: a shadow with no offset and no blur, spread 2 px or more.
      const ring = /0px 0px 0px ([\d.]+)px/.exec(style.boxShadow);
      if (ring && Number(ring[1]) >= 2) return `ring ${style.boxShadow}`;
      return null;
    };
    const indicator = drawn(el) ?? (el.parentElement?.matches(':focus-within') ? drawn(el.parentElement) : null);
    const box = el.getBoundingClientRect();
    const onScreen = box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0 &&
      box.top < innerHeight && box.left < innerWidth;
    return { what, visible: el.matches(':focus-visible'), indicator, onScreen };
  });
}

/** The focus is on an element that shows it; returns where it is. */
export async function expectVisibleFocus(page: Page): Promise<Focus> {
  const focus = await currentFocus(page);
  expect(focus.what, 'the focus is on an element').not.toBe('<body>');
  expect(focus.visible, `${focus.what} matches :focus-visible`).toBe(true);
  expect(focus.indicator, `${focus.what} draws a focus indicator`).not.toBeNull();
  expect(focus.onScreen, `${focus.what} is on screen`).toBe(true);
  return focus;
}
