import type { Role } from './api/types';

/** Every screen, who may see it, and its nav label key. Hash routes: #/chat, #/apps/summarize … */
export type ScreenId = 'home' | 'chat' | 'qa' | 'docs' | 'builder' | 'review' | 'admin' | 'audit' | 'usage' | 'eval';

export interface ScreenDef {
  id: ScreenId;
  path: string;
  roles: readonly Role[];
}

const WORKERS: readonly Role[] = ['staff', 'reviewer', 'admin'];

export const SCREENS: readonly ScreenDef[] = [
  { id: 'home', path: '/', roles: ['staff', 'reviewer', 'admin', 'auditor'] },
  { id: 'chat', path: '/chat', roles: WORKERS },
  { id: 'qa', path: '/qa', roles: WORKERS },
  { id: 'docs', path: '/apps', roles: WORKERS },
  { id: 'builder', path: '/builder', roles: ['staff', 'admin'] },
  { id: 'review', path: '/review', roles: ['reviewer', 'admin'] },
  { id: 'admin', path: '/admin', roles: ['admin'] },
  { id: 'audit', path: '/audit', roles: ['auditor', 'admin'] },
  { id: 'usage', path: '/usage', roles: ['admin', 'auditor'] },
  { id: 'eval', path: '/eval', roles: ['admin', 'auditor'] },
];

export interface Route {
  screen: ScreenId | 'notFound';
  /** Path segments after the screen's own path (e.g. the app id in #/apps/summarize). */
  rest: string[];
}

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { screen: 'home', rest: [] };
  const def = SCREENS.find((s) => s.path === `/${parts[0]}`);
  return def ? { screen: def.id, rest: parts.slice(1) } : { screen: 'notFound', rest: parts };
}

export function href(screen: ScreenId, ...rest: string[]): string {
  const def = SCREENS.find((s) => s.id === screen)!;
  return '#' + (def.path === '/' ? '/' : def.path + rest.map((r) => '/' + encodeURIComponent(r)).join(''));
}
