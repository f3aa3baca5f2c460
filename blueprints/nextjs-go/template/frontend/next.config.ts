import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The container image (Dockerfile) builds with NEXT_OUTPUT=standalone: a self-contained
  // server.js with only the modules it needs. `next start` (local runs, e2e) wants the default.
  output: process.env.NEXT_OUTPUT === 'standalone' ? 'standalone' : undefined,
  // `npm run lint` is its own CI step; linting again inside `next build` only costs time.
  eslint: { ignoreDuringBuilds: true },
};

export default nextConfig;
