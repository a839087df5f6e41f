// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The custom server (server/) owns the HTTP server; Next only renders pages.
  // better-sqlite3 and friends are server-only and never bundled.
  serverExternalPackages: ['better-sqlite3', 'pg', 'ioredis', 'pino'],
  // No page uses next/image: the optimizer (/_next/image) stays off rather than resize on request.
  images: { unoptimized: true },
};

export default nextConfig;
