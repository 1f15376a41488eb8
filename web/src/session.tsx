import { createContext, useContext } from 'react';
import type { Me, Role } from './api/types';

export interface Session {
  me: Me;
  logout(): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a logged-in shell');
  return s;
}

export function hasRole(me: Me, roles: readonly Role[]): boolean {
  return roles.includes(me.role);
}
