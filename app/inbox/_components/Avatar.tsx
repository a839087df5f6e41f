import { memo, useState } from 'react';
import { isAvatarUrl } from '../../../protocol/avatar';
import styles from './Avatar.module.css';

/** Deep enough for white initials at 4.5:1 or more. */
const PALETTE = ['#4f46e5', '#0369a1', '#047857', '#b45309', '#b91c1c', '#be185d', '#7c3aed', '#0f766e'];

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts;
  return letters.map((part) => Array.from(part ?? '')[0]?.toUpperCase() ?? '').join('') || '?';
}

function colorFor(name: string): string {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return PALETTE[Math.abs(hash) % PALETTE.length] ?? '#4f46e5';
}

type Props = {
  name: string;
  src: string;
  size?: number;
  className?: string;
  /** Given: a green dot on the picture while the person is online (with "Online" for screen readers). */
  online?: boolean;
};

/**
 * A round picture of a person, or their initials on a colour of their own when there is none; with
 * `online` given, the dot that says they are here.
 */
export const Avatar = memo(function Avatar({ online, className, ...picture }: Props) {
  if (online === undefined) return <Picture {...picture} className={className} />;
  return (
    <span className={className ? `${styles.holder} ${className}` : styles.holder}>
      <Picture {...picture} />
      {online && (
        <span className={styles.online}>
          <span className="visually-hidden">Online</span>
        </span>
      )}
    </span>
  );
});

function Picture({ name, src, size = 36, className }: Omit<Props, 'online'>) {
  const [broken, setBroken] = useState(false);
  const style = { width: size, height: size, fontSize: Math.round(size * 0.4) };
  const classes = className ? `${styles.avatar} ${className}` : styles.avatar;
  // By the URL the browser would load: this site's /avatars/, or https (the same rule as the admin API).
  if (isAvatarUrl(src) && !broken) {
    return (
      <img
        className={classes}
        style={style}
        src={src}
        alt=""
        width={size}
        height={size}
        draggable={false}
        onError={() => setBroken(true)}
      />
    );
  }
  return (
    <span className={classes} style={{ ...style, background: colorFor(name) }} aria-hidden="true">
      {initials(name)}
    </span>
  );
}
