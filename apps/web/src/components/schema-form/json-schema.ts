import type { FieldIssue } from '@kestrel/api-client';

/**
 * Form fields from a JSON Schema (2020-12) object, as the backend publishes strategy parameters
 * (`GET /api/strategies`). Only what such schemas use is understood — integers, numbers, strings,
 * booleans and string enums, with title, description, default and bounds; anything else becomes a
 * JSON field, so a new kind of parameter still gets an input rather than nothing.
 */
export type FieldKind = 'integer' | 'number' | 'string' | 'boolean' | 'enum' | 'json';

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  title: string;
  description: string | undefined;
  required: boolean;
  default: unknown;
  minimum: number | undefined;
  maximum: number | undefined;
  exclusiveMinimum: number | undefined;
  exclusiveMaximum: number | undefined;
  options: string[] | undefined;
}

type JsonSchema = Record<string, unknown>;

export function fieldsFromSchema(schema: JsonSchema): FieldSpec[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return Object.entries(properties).map(([name, raw]) => {
    const prop = nonNullVariant(raw);
    return {
      name,
      kind: kindOf(prop),
      title: typeof raw.title === 'string' ? raw.title : typeof prop.title === 'string' ? prop.title : name,
      description: typeof raw.description === 'string' ? raw.description : typeof prop.description === 'string' ? prop.description : undefined,
      required: required.has(name),
      default: raw.default ?? prop.default,
      minimum: num(prop.minimum),
      maximum: num(prop.maximum),
      exclusiveMinimum: num(prop.exclusiveMinimum),
      exclusiveMaximum: num(prop.exclusiveMaximum),
      options: Array.isArray(prop.enum) ? prop.enum.map(String) : undefined,
    };
  });
}

/** `anyOf: [X, {type: null}]` (a nullable field) is edited as X. */
function nonNullVariant(prop: JsonSchema): JsonSchema {
  const variants = (prop.anyOf ?? prop.oneOf) as JsonSchema[] | undefined;
  if (!Array.isArray(variants)) return prop;
  const real = variants.filter((v) => v.type !== 'null');
  return real.length === 1 ? { ...real[0], ...prop, anyOf: undefined, oneOf: undefined } : prop;
}

function kindOf(prop: JsonSchema): FieldKind {
  if (Array.isArray(prop.enum) && prop.enum.every((v) => typeof v === 'string')) return 'enum';
  switch (prop.type) {
    case 'integer':
      return 'integer';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    default:
      return 'json';
  }
}

const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

/** What the inputs hold: text for every kind (a checkbox holds 'true' / 'false'). */
export type FormInputs = Record<string, string>;

/** Inputs for a form: the current values where given, else the schema's defaults, else empty. */
export function initialInputs(fields: FieldSpec[], values: Record<string, unknown> = {}): FormInputs {
  return Object.fromEntries(
    fields.map((f) => {
      const v = values[f.name] !== undefined ? values[f.name] : f.default;
      if (v === undefined || v === null) return [f.name, f.kind === 'boolean' ? 'false' : ''];
      return [f.name, f.kind === 'json' ? JSON.stringify(v) : String(v)];
    }),
  );
}

/**
 * The values to send. Empty inputs are left out (the server fills in defaults and names what is
 * missing); text that is not a number is sent as typed, so the server's message says what is wrong.
 */
export function valuesFromInputs(fields: FieldSpec[], inputs: FormInputs): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const raw = (inputs[f.name] ?? '').trim();
    if (f.kind === 'boolean') {
      out[f.name] = raw === 'true';
      continue;
    }
    if (raw === '') continue;
    if (f.kind === 'integer' || f.kind === 'number') {
      const n = Number(raw);
      out[f.name] = Number.isFinite(n) ? n : raw;
    } else if (f.kind === 'json') {
      try {
        out[f.name] = JSON.parse(raw);
      } catch {
        out[f.name] = raw;
      }
    } else {
      out[f.name] = raw;
    }
  }
  return out;
}

/**
 * The server's validation issues for the fields under `prefix` (e.g. `/strategyParams`), by field
 * name; issues about the object as a whole, or about fields this form does not have, under `''`.
 */
export function issuesByField(issues: FieldIssue[], prefix: string, fields: FieldSpec[]): Record<string, string> {
  const names = new Set(fields.map((f) => f.name));
  const out: Record<string, string> = {};
  for (const issue of issues) {
    if (!issue.path.startsWith(prefix)) continue;
    const name = issue.path.slice(prefix.length).split('/').filter(Boolean)[0] ?? '';
    const key = names.has(name) ? name : '';
    out[key] = out[key] ? `${out[key]}; ${issue.message}` : issue.message;
  }
  return out;
}

/** "between 1 and 9999", "more than 0", … for a field's hint. */
export function boundsText(f: FieldSpec): string | undefined {
  const low = f.minimum !== undefined ? `at least ${f.minimum}` : f.exclusiveMinimum !== undefined ? `more than ${f.exclusiveMinimum}` : undefined;
  const high = f.maximum !== undefined ? `at most ${f.maximum}` : f.exclusiveMaximum !== undefined ? `less than ${f.exclusiveMaximum}` : undefined;
  return [low, high].filter(Boolean).join(', ') || undefined;
}
