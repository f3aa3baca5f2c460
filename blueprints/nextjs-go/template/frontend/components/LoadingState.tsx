import { ui } from '@/styles/ui';

/** Streamed at once while a page waits for the API: a status line and placeholder rows. */
export function LoadingState({ rows }: { rows: number }) {
  return (
    <div className={ui.stack} role="status" aria-live="polite">
      <span className={ui.muted}>Loading…</span>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className={ui.skeleton} />
      ))}
    </div>
  );
}
