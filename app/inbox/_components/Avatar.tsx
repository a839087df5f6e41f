import { memo, useState } from 'react';
import styles from './Avatar.module.css';

const PALETTE = ['#6366f1', '#0ea5e9', '#10b981', '#f59e0b', '#ef4444', '#ec4899', '#8b5cf6', '#14b8a6'];

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts;
  return letters.map((part) => Array.from(part ?? '')[0]?.toUpperCase() ?? '').join('') || '?';
}

function colorFor(name: string): string {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return PALETTE[Math.abs(hash) % PALETTE.length] ?? '#6366f1';
}

/** Only pictures served by this site: an avatar URL never makes the browser call a third party. */
function isOwnPicture(src: string): boolean {
  return src.startsWith('/') && !src.startsWith('//');
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
  if (isOwnPicture(src) && !broken) {
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
