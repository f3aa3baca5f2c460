import type { ReactNode } from 'react';

import { ui } from '@/styles/ui';

interface FormFieldProps {
  id: string;
  label: string;
  error?: string;
  /** Checkboxes put the label after the control, on one line. */
  inline?: boolean;
  children: ReactNode;
}

/** A label, one control and its error message; the control references `${id}-error`. */
export function FormField({ id, label, error, inline = false, children }: FormFieldProps) {
  const labelElement = (
    <label className={ui.label} htmlFor={id}>
      {label}
    </label>
  );
  return (
    <div className={ui.field}>
      {inline ? (
        <div className={ui.checkboxField}>
          {children}
          {labelElement}
        </div>
      ) : (
        <>
          {labelElement}
          {children}
        </>
      )}
      {error ? (
        <p className={ui.fieldError} id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
