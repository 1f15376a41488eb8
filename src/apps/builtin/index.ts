import type { BuiltinApp } from '../types.js';
import { chatApp } from './chat.js';
import { draftingApp } from './drafting.js';
import { proofreadApp } from './proofread.js';
import { qaApp } from './qa.js';
import { statuteApp } from './statute.js';
import { summariseApp } from './summarise.js';
import { translateApp } from './translate.js';

export type BuiltinAppId = 'chat' | 'qa' | 'drafting' | 'summarise' | 'proofread' | 'translate' | 'statute';

/** Every built-in app, in catalogue order. Add a built-in app here (and nowhere else). */
export const BUILTIN_APPS: Record<BuiltinAppId, BuiltinApp> = {
  chat: chatApp,
  qa: qaApp,
  drafting: draftingApp,
  summarise: summariseApp,
  proofread: proofreadApp,
  translate: translateApp,
  statute: statuteApp,
};

export function builtinApp(id: string): BuiltinApp | undefined {
  return Object.hasOwn(BUILTIN_APPS, id) ? BUILTIN_APPS[id as BuiltinAppId] : undefined;
}
