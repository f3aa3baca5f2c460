import { ui } from '@/styles/ui';

// Streamed at once while the page waits for the API.
export default function Loading() {
  return (
    <div className={ui.stack} role="status" aria-live="polite">
      <span className={ui.muted}>Loading…</span>
      <div className={ui.skeleton} />
      <div className={ui.skeleton} />
    </div>
  );
}
