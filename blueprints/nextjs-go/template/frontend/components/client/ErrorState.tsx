'use client';

import { useEffect } from 'react';

import { ui } from '@/styles/ui';

interface ErrorStateProps {
  title: string;
  error: Error & { digest?: string };
  reset: () => void;
}

/**
 * The body of the error.tsx boundaries. In production Next.js replaces a server error's
 * message with a generic one and a digest that matches the server log line.
 */
export function ErrorState({ title, error, reset }: ErrorStateProps) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  return (
    <div className={ui.alert} role="alert">
      <div className={ui.stack}>
        <h2 className={ui.title}>{title}</h2>
        <p>{error.message || 'Something went wrong.'}</p>
        {error.digest ? <p className={ui.muted}>Reference: {error.digest}</p> : null}
        <div>
          <button className={ui.buttonSecondary} type="button" onClick={() => reset()}>
            Try again
          </button>
        </div>
      </div>
    </div>
  );
}
