/**
 * What a user was in the middle of, kept for this tab (sessionStorage) so that moving to another screen or
 * reloading does not lose it: the chat composer's text and the chosen collection, per screen and per user.
 * Logging out forgets them all.
 */
const PREFIX = 'hiraga.draft.';

function storageKey(user: string, name: string): string {
  return `${PREFIX}${encodeURIComponent(user)}.${name}`;
}

export function loadDraft(user: string, name: string): string | null {
  try {
    return sessionStorage.getItem(storageKey(user, name));
  } catch {
    return null;
  }
}

/** Keep `value` (an empty string is kept too: "no collection" is a choice); null forgets it. */
export function saveDraft(user: string, name: string, value: string | null): void {
  try {
    if (value === null) sessionStorage.removeItem(storageKey(user, name));
    else sessionStorage.setItem(storageKey(user, name), value);
  } catch {
    /* storage full or disabled: the draft is only lost on navigation, as before */
  }
}

export function clearDrafts(): void {
  try {
    for (let i = sessionStorage.length - 1; i >= 0; i--) {
      const k = sessionStorage.key(i);
      if (k?.startsWith(PREFIX)) sessionStorage.removeItem(k);
    }
  } catch {
    /* nothing kept */
  }
}
