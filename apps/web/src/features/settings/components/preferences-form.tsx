import { useState, type FormEvent } from 'react';
import { isApiError } from '@kestrel/api-client';
import { TIMEFRAMES, type Preferences } from '@kestrel/contracts';
import { Field } from '../../../components/ui/field.tsx';
import { useUpdatePreferences } from '../api/update-preferences.ts';
import { FormFooter } from '../../../components/ui/form-footer.tsx';

const THEMES: Array<{ value: Preferences['theme']; label: string }> = [
  { value: 'dark', label: 'Dark' },
  { value: 'light', label: 'Light' },
  { value: 'system', label: 'Follow the system' },
];

/** The user's preferences, saved on the server (so they follow the user to other devices). The theme applies at once. */
export function PreferencesForm({ preferences }: { preferences: Preferences }) {
  const [draft, setDraft] = useState(preferences);
  const update = useUpdatePreferences();
  const [saved, setSaved] = useState(false);
  const issues = isApiError(update.error) ? update.error.fieldIssues() : [];
  const errorFor = (path: string) => issues.find((i) => i.path === path)?.message;
  const set = <K extends keyof Preferences>(k: K, v: Preferences[K]) => {
    setSaved(false);
    setDraft({ ...draft, [k]: v });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate(draft, { onSuccess: () => setSaved(true) });
  };
  const chooseTheme = (theme: Preferences['theme']) => {
    set('theme', theme);
    update.mutate({ theme });
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Preferences" className="stack">
      <fieldset className="check" style={{ border: 0, padding: 0, margin: 0, gap: 12 }}>
        <legend className="muted" style={{ fontSize: 11, textTransform: 'uppercase', letterSpacing: '0.05em', marginBottom: 4 }}>
          Theme
        </legend>
        {THEMES.map((t) => (
          <label key={t.value} className="check">
            <input type="radio" name="theme" value={t.value} checked={draft.theme === t.value} onChange={() => chooseTheme(t.value)} /> {t.label}
          </label>
        ))}
      </fieldset>
      <div className="form-grid">
        <Field label="Time zone" hint="IANA name, e.g. Europe/Berlin; times are shown in it" error={errorFor('/timezone')}>
          {(p) => <input {...p} value={draft.timezone} onChange={(e) => set('timezone', e.target.value)} />}
        </Field>
        <Field label="Locale" error={errorFor('/locale')}>
          {(p) => <input {...p} value={draft.locale} onChange={(e) => set('locale', e.target.value)} />}
        </Field>
        <Field label="Default timeframe" error={errorFor('/defaultTimeframe')}>
          {(p) => (
            <select {...p} value={draft.defaultTimeframe} onChange={(e) => set('defaultTimeframe', e.target.value as Preferences['defaultTimeframe'])}>
              {TIMEFRAMES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <label className="check">
        <input type="checkbox" checked={draft.confirmKillSwitch} onChange={(e) => set('confirmKillSwitch', e.target.checked)} /> Ask before resuming trading (halting always asks for a reason)
      </label>
      <fieldset style={{ border: 0, padding: 0, margin: 0 }} className="stack">
        <legend className="muted" style={{ fontSize: 11, textTransform: 'uppercase', letterSpacing: '0.05em' }}>
          Notify me about
        </legend>
        {(['fills', 'riskDenials', 'killSwitch'] as const).map((k) => (
          <label key={k} className="check">
            <input type="checkbox" checked={draft.notifications[k]} onChange={(e) => set('notifications', { ...draft.notifications, [k]: e.target.checked })} />
            {{ fills: 'Fills', riskDenials: 'Risk denials', killSwitch: 'Kill switch changes' }[k]}
          </label>
        ))}
      </fieldset>
      <FormFooter error={update.isError ? update.error.message : null} busy={update.isPending} submitLabel="Save preferences" success={saved && 'Saved.'} />
    </form>
  );
}
