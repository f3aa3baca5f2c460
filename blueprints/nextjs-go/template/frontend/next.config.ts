import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `npm run lint` is its own CI step; linting again inside `next build` only costs time.
  eslint: { ignoreDuringBuilds: true },
};

export default nextConfig;
