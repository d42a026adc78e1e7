import type { FieldSpec, FormInputs } from './json-schema.ts';
import { boundsText } from './json-schema.ts';
import { Field } from '../ui/field.tsx';

/**
 * The inputs of a form generated from a JSON Schema: one labelled control per field, its
 * description and bounds as the hint, the default as the placeholder, and the server's message for
 * that field under it. Values stay text until the caller converts them (valuesFromInputs).
 */
export function SchemaFields({ fields, inputs, errors, disabled = false, onChange }: { fields: FieldSpec[]; inputs: FormInputs; errors: Record<string, string>; disabled?: boolean; onChange: (inputs: FormInputs) => void }) {
  const set = (name: string, value: string) => onChange({ ...inputs, [name]: value });
  return (
    <div className="form-grid">
      {fields.map((f) => {
        const hint = [f.description, boundsText(f), f.required ? 'required' : f.default === undefined ? 'optional' : undefined].filter(Boolean).join(' · ');
        const value = inputs[f.name] ?? '';
        return (
          <Field key={f.name} label={f.title} hint={hint} error={errors[f.name]}>
            {(props) => {
              const common = { ...props, name: f.name, disabled, 'data-field': f.name };
              switch (f.kind) {
                case 'boolean':
                  return <input {...common} type="checkbox" checked={value === 'true'} onChange={(e) => set(f.name, String(e.target.checked))} />;
                case 'enum':
                  return (
                    <select {...common} value={value} onChange={(e) => set(f.name, e.target.value)}>
                      {!f.required && <option value="">—</option>}
                      {f.options!.map((o) => (
                        <option key={o} value={o}>
                          {o}
                        </option>
                      ))}
                    </select>
                  );
                case 'integer':
                case 'number':
                  return (
                    <input
                      {...common}
                      type="number"
                      inputMode="decimal"
                      step={f.kind === 'integer' ? 1 : 'any'}
                      value={value}
                      placeholder={f.default !== undefined ? String(f.default) : ''}
                      onChange={(e) => set(f.name, e.target.value)}
                    />
                  );
                case 'json':
                  return <textarea {...common} rows={2} className="mono" value={value} onChange={(e) => set(f.name, e.target.value)} />;
                default:
                  return <input {...common} type="text" value={value} placeholder={f.default !== undefined ? String(f.default) : ''} onChange={(e) => set(f.name, e.target.value)} />;
              }
            }}
          </Field>
        );
      })}
    </div>
  );
}
