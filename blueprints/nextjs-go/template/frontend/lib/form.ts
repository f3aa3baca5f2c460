// Reads an HTML form's FormData into typed API input, collecting one message per field.
// Shared by the Server Actions (parsing) and the client forms (the state they render).
// Each reader returns null for an empty control: the value of an optional field, and for a
// required one the reader has recorded "is required" (the input is then not sent).

export type FieldErrors = Record<string, string>;
export type FieldValues = Record<string, string | boolean>;

export interface FormState {
  /** A message about the whole submission, e.g. the API's problem detail. */
  message?: string;
  errors: FieldErrors;
  /** What was submitted, so the form shows it again after a failed attempt. */
  values: FieldValues;
}

/** A row a reference can point at: its id and what a select shows. */
export interface Choice {
  value: string;
  label: string;
}

export const initialFormState: FormState = { errors: {}, values: {} };

interface Rules {
  optional?: boolean;
}

// What <input type="datetime-local"> submits: minutes, optionally seconds and fractions.
const DATE_TIME_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INT64_MIN = BigInt('-9223372036854775808');
const INT64_MAX = BigInt('9223372036854775807');

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

  /** Text; a single-line one is trimmed. */
  string(name: string, label: string, rules: Rules & { maxLength: number; multiline?: boolean }): string | null {
    const raw = this.raw(name);
    const value = rules.multiline ? raw : raw.trim();
    if (!this.present(name, label, value, rules)) {
      return null;
    }
    if ([...value].length > rules.maxLength) {
      this.errors[name] = `${label} must be at most ${rules.maxLength} characters`;
    }
    return value;
  }

  /** A 32-bit integer. */
  integer(name: string, label: string, rules: Rules = {}): number | null {
    const raw = this.raw(name).trim();
    if (!this.present(name, label, raw, rules)) {
      return null;
    }
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw) || value < -(2 ** 31) || value > 2 ** 31 - 1) {
      this.errors[name] = `${label} must be a whole number between -2147483648 and 2147483647`;
    }
    return value;
  }

  /** A 64-bit integer, kept as its decimal string (a JavaScript number would round it). */
  bigint(name: string, label: string, rules: Rules = {}): string | null {
    const raw = this.raw(name).trim();
    if (!this.present(name, label, raw, rules)) {
      return null;
    }
    if (!/^-?(0|[1-9]\d{0,18})$/.test(raw) || BigInt(raw) < INT64_MIN || BigInt(raw) > INT64_MAX) {
      this.errors[name] = `${label} must be a whole number of at most 19 digits`;
    }
    return raw;
  }

  number(name: string, label: string, rules: Rules = {}): number | null {
    const raw = this.raw(name).trim();
    if (!this.present(name, label, raw, rules)) {
      return null;
    }
    const value = Number(raw);
    if (!Number.isFinite(value)) {
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

  /** A datetime-local value, read as UTC (the form labels it so), as RFC 3339. */
  dateTime(name: string, label: string, rules: Rules = {}): string | null {
    const raw = this.raw(name).trim();
    if (!this.present(name, label, raw, rules)) {
      return null;
    }
    const date = DATE_TIME_LOCAL.test(raw) ? new Date(`${raw}Z`) : new Date(Number.NaN);
    if (Number.isNaN(date.getTime())) {
      this.errors[name] = `${label} must be a date and time`;
      return null;
    }
    // Keep what was typed, with seconds and without a zero fraction (some browsers add
    // one), and say it is UTC: no rounding through Date.
    const typed = raw.replace(/\.0+$/, '');
    return `${typed.length === 16 ? `${typed}:00` : typed}Z`;
  }

  /** A calendar date, YYYY-MM-DD. */
  date(name: string, label: string, rules: Rules = {}): string | null {
    const raw = this.raw(name).trim();
    if (!this.present(name, label, raw, rules)) {
      return null;
    }
    if (!DATE.test(raw) || Number.isNaN(new Date(`${raw}T00:00:00Z`).getTime())) {
      this.errors[name] = `${label} must be a date`;
    }
    return raw;
  }

  /** A UUID, e.g. the id of a referenced row. */
  uuid(name: string, label: string, rules: Rules = {}): string | null {
    const raw = this.raw(name).trim();
    if (!this.present(name, label, raw, rules)) {
      return null;
    }
    if (!UUID.test(raw)) {
      this.errors[name] = `${label} must be a UUID`;
    }
    return raw;
  }

  /** One of a fixed set of values (a <select>). */
  choice<T extends string>(name: string, label: string, choices: readonly T[], rules: Rules = {}): T | null {
    const raw = this.raw(name);
    if (!this.present(name, label, raw, rules)) {
      return null;
    }
    if (!(choices as readonly string[]).includes(raw)) {
      this.errors[name] = `${label} must be one of ${choices.join(', ')}`;
    }
    return raw as T;
  }

  /** Records what was submitted; false (and "is required" when required) for nothing. */
  private present(name: string, label: string, value: string, rules: Rules): boolean {
    this.values[name] = value;
    if (value !== '') {
      return true;
    }
    if (!rules.optional) {
      this.errors[name] = `${label} is required`;
    }
    return false;
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
