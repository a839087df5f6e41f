import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

// Every page is rendered per request: its scripts carry the nonce of that response's Content-Security-Policy
// (server/http/security-headers.ts), which a page prerendered at build time could not know.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: 'Stream Inbox',
  description: 'Talk with the people doing your jobs, in real time.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#eef1f6' },
    { media: '(prefers-color-scheme: dark)', color: '#0b0d12' },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
