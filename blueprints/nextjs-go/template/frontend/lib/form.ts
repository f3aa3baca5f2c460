// Reads an HTML form's FormData into typed API input, collecting one message per field.
// Shared by the Server Action (parsing) and the client form (the state it renders).

export type FieldErrors = Record<string, string>;
export type FieldValues = Record<string, string | boolean>;

export interface FormState {
  /** A message about the whole submission, e.g. the API's problem detail. */
  message?: string;
  errors: FieldErrors;
  /** What was submitted, so the form shows it again after a failed attempt. */
  values: FieldValues;
}

export const initialFormState: FormState = { errors: {}, values: {} };

// What <input type="datetime-local"> submits: minutes, optionally seconds and fractions.
const DATE_TIME_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;

export class FormReader {
  readonly errors: FieldErrors = {};
  readonly values: FieldValues = {};

  constructor(private readonly formData: FormData) {}

  get ok(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  state(message?: string): FormState {
    return { message, errors: { ...this.errors }, values: { ...this.values } };
  }

  string(name: string, label: string, rules: { required?: boolean; maxLength?: number } = {}): string {
    const value = this.raw(name).trim();
    this.values[name] = value;
    const { required = true, maxLength } = rules;
    if (required && value === '') {
      this.errors[name] = `${label} is required`;
    } else if (maxLength !== undefined && [...value].length > maxLength) {
      this.errors[name] = `${label} must be at most ${maxLength} characters`;
    }
    return value;
  }

  integer(name: string, label: string): number {
    const value = this.number(name, label);
    if (!(name in this.errors) && !Number.isSafeInteger(value)) {
      this.errors[name] = `${label} must be a whole number`;
    }
    return value;
  }

  number(name: string, label: string): number {
    const raw = this.raw(name).trim();
    this.values[name] = raw;
    const value = Number(raw);
    if (raw === '') {
      this.errors[name] = `${label} is required`;
    } else if (!Number.isFinite(value)) {
      this.errors[name] = `${label} must be a number`;
    }
    return value;
  }

  boolean(name: string): boolean {
    // A checkbox is in the FormData only when it is checked.
    const value = this.formData.has(name);
    this.values[name] = value;
    return value;
  }

  /** A datetime-local value, read as UTC (the UI labels it so), as an RFC 3339 string. */
  dateTime(name: string, label: string): string {
    const raw = this.raw(name).trim();
    this.values[name] = raw;
    if (raw === '') {
      this.errors[name] = `${label} is required`;
      return '';
    }
    const date = DATE_TIME_LOCAL.test(raw) ? new Date(`${raw}Z`) : new Date(Number.NaN);
    if (Number.isNaN(date.getTime())) {
      this.errors[name] = `${label} must be a date and time`;
      return '';
    }
    // RFC 3339 without the fraction a form cannot produce anyway.
    return date.toISOString().replace('.000Z', 'Z');
  }

  private raw(name: string): string {
    const value = this.formData.get(name);
    return typeof value === 'string' ? value : '';
  }
}

/** Turns an RFC 7807 problem from the API into form state, keeping what was submitted. */
export function problemState(
  problem: { title: string; detail?: string; errors?: { field: string; message: string }[] },
  values: FieldValues,
): FormState {
  const errors: FieldErrors = {};
  for (const { field, message } of problem.errors ?? []) {
    errors[field] = message;
  }
  return { message: problem.detail || problem.title, errors, values };
}
