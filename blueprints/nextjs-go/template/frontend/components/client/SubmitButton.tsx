'use client';

import { useFormStatus } from 'react-dom';

import { ui } from '@/styles/ui';

/** A submit button that is disabled while its form's action runs. */
export function SubmitButton({ label, pendingLabel }: { label: string; pendingLabel: string }) {
  const { pending } = useFormStatus();
  return (
    <button className={ui.button} type="submit" disabled={pending} aria-disabled={pending}>
      {pending ? pendingLabel : label}
    </button>
  );
}
