// Contrast where axe cannot look: text drawn by CSS (`::before { content: attr(…) }`, the bubble times),
// placeholders, icons, and disabled controls (axe skips those). The colours are the browser's computed
// ones; the background is every ancestor's background colour and opacity composited in the page, as
// the browser paints them (solid colours only: an ancestor with a background image is an error).
import type { Locator } from '@playwright/test';

export type Contrast = { ratio: number; fg: string; bg: string };

/** The WCAG 2.1 contrast ratio of the element's text (or of its pseudo-element's) on what is behind it. */
export async function contrastOf(locator: Locator, pseudo?: '::before' | '::placeholder'): Promise<Contrast> {
  return locator.evaluate((el, pseudoElement) => {
    type Rgba = [number, number, number, number];
    const parse = (css: string): Rgba => {
      const srgb = /^color\(srgb ([\d.e-]+) ([\d.e-]+) ([\d.e-]+)(?: \/ ([\d.]+))?\)$/.exec(css);
      if (srgb) return [Number(srgb[1]) * 255, Number(srgb[2]) * 255, Number(srgb[3]) * 255, Number(srgb[4] ?? 1)];
      const rgb = /^rgba?\(([\d.]+),? ([\d.]+),? ([\d.]+)(?:[,/] ?([\d.]+))?\)$/.exec(css);
      if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), Number(rgb[4] ?? 1)];
      throw new Error(`unexpected colour ${css}`);
    };
    // Source-over with straight alpha.
    const over = (top: Rgba, below: Rgba): Rgba => {
      const a = top[3] + below[3] * (1 - top[3]);
      if (a === 0) return [0, 0, 0, 0];
      const mix = (i: number) => (top[i]! * top[3] + below[i]! * below[3] * (1 - top[3])) / a;
      return [mix(0), mix(1), mix(2), a];
    };
    const chain: Element[] = [];
    for (let node: Element | null = el; node; node = node.parentElement) chain.unshift(node);
    // What the subtree from chain[i] down paints at this point, each element's opacity applied to its
    // whole group (its background and everything in it), with `top` drawn last.
    const paint = (i: number, top: Rgba): Rgba => {
      const node = chain[i];
      if (!node) return top;
      const style = getComputedStyle(node);
      if (style.backgroundImage !== 'none') throw new Error(`background image behind the text at ${node.className}`);
      const group = over(paint(i + 1, top), parse(style.backgroundColor));
      return [group[0], group[1], group[2], group[3] * Number(style.opacity)];
    };
    const canvas: Rgba = [255, 255, 255, 1];
    const fg = over(paint(0, parse(getComputedStyle(el, pseudoElement).color)), canvas);
    const bg = over(paint(0, [0, 0, 0, 0]), canvas);
    const luminance = ([r, g, b]: Rgba) => {
      const lin = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a) as [number, number];
    const hex = (c: Rgba) => `#${c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
    return { ratio: Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100, fg: hex(fg), bg: hex(bg) };
  }, pseudo ?? null);
}
