import { useEffect } from 'react';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { preferencesSchema, type Preferences } from '@kestrel/contracts';
import { useApi, useSession } from './kestrel.tsx';
import { queryKeys } from './query-keys.ts';

/** The defaults of the contract: what a user who never changed anything sees. */
export const DEFAULT_PREFERENCES: Preferences = preferencesSchema.parse({});

export function preferencesQuery(api: ReturnType<typeof useApi>) {
  return queryOptions({ queryKey: queryKeys.preferences, queryFn: () => api.user.preferences(), staleTime: 5 * 60_000 });
}

/** The signed-in user's preferences (defaults while loading or signed out): time zone, theme… */
export function usePreferences(): Preferences {
  const api = useApi();
  const signedIn = useSession().status === 'signed-in';
  const { data } = useQuery({ ...preferencesQuery(api), enabled: signedIn });
  return data ?? DEFAULT_PREFERENCES;
}

/** Applies light or dark to the page; `system` follows the OS setting as it changes. */
export function useThemeEffect(theme: Preferences['theme']): void {
  useEffect(() => {
    const media = window.matchMedia?.('(prefers-color-scheme: light)');
    const apply = () => {
      document.documentElement.dataset.theme = theme === 'system' ? (media?.matches ? 'light' : 'dark') : theme;
    };
    apply();
    if (theme !== 'system' || !media) return;
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [theme]);
}
