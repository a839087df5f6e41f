// @vitest-environment jsdom
// The page shows a picture only for an avatar URL the admin API would accept: this site's /avatars/ or
// https, by the resolved URL (protocol/avatar.ts); anything else gets initials and loads nothing.
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Avatar } from './Avatar';

afterEach(cleanup);

function picture(src: string): string | null {
  const { container } = render(<Avatar name="Kim Kitchen" src={src} />);
  return container.querySelector('img')?.getAttribute('src') ?? null;
}

describe('Avatar', () => {
  it('shows this site’s /avatars/ pictures and https ones', () => {
    expect(picture('/avatars/casey.svg')).toBe('/avatars/casey.svg');
    expect(picture('https://cdn.example.com/kim.png')).toBe('https://cdn.example.com/kim.png');
  });

  it('shows initials, not a picture, for anything that resolves elsewhere', () => {
    for (const src of ['/\\evil.com/x.png', '//evil.com/x.png', '/avatars/../x.png', 'http://evil.com/x.png', 'javascript:alert(1)', '']) {
      expect(picture(src), src).toBeNull();
      cleanup();
    }
    const { container } = render(<Avatar name="Kim Kitchen" src="/\evil.com/x.png" />);
    expect(container.textContent).toBe('KK');
  });
});
