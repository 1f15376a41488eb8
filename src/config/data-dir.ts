import fs from 'node:fs';
import path from 'node:path';
import { badInput } from '../core/errors.js';

/**
 * The data folder must be a folder, or not exist yet (it is created on first use). A path that is a
 * file, or lies under a file, is a bad argument: one line naming it and where it came from, exit 2.
 */
export function checkDataDir(dataDir: string, from: 'option' | 'env' | 'default'): void {
  const label = from === 'option' ? `--data-dir ${dataDir}` : from === 'env' ? `HIRAGA_DATA_DIR=${dataDir}` : `the data folder ${dataDir} (the default ./.hiraga)`;
  for (let p = dataDir; ; p = path.dirname(p)) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return; // unreadable: opening the store says why
    }
    if (st) {
      if (st.isDirectory()) return;
      const what = p === dataDir ? `${label} is a file, not a folder` : `${label} lies under ${p}, which is a file, not a folder`;
      throw badInput(`データフォルダの指定が不正です / ${what}: give a folder path (it is created if missing)`);
    }
    if (path.dirname(p) === p) return;
  }
}
