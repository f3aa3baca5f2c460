import nextJest from 'next/jest.js';

// next/jest compiles with the same SWC setup as `next build`, loads .env files, stubs
// CSS/CSS Modules and `server-only`, so tests import app code unchanged.
const createJestConfig = nextJest({ dir: './' });

export default createJestConfig({
  testEnvironment: 'jsdom',
  setupFilesAfterEnv: ['<rootDir>/jest.setup.ts'],
  testMatch: ['<rootDir>/tests/unit/**/*.test.{ts,tsx}'],
  moduleNameMapper: {
    '^@/(.*)$': '<rootDir>/$1',
  },
});
