import type { MiddlewareHandler } from 'hono';
import type { Role } from '../../core/types.js';
import type { IdentityProvider } from '../auth/oidc.js';
import type { GatewayEnv } from '../env.js';
import { forbidden, unauthorized } from '../http-errors.js';

export interface AuthOptions {
  /** Tried in order; the first that recognises the credential wins. */
  providers: IdentityProvider[];
}

/** `Authorization: Bearer <key>` → `c.var.actor`. 401 when missing or unknown. */
export function auth({ providers }: AuthOptions): MiddlewareHandler<GatewayEnv> {
  return async function authenticate(c, next) {
    const header = c.req.header('authorization');
    if (!header) throw unauthorized('APIキーがありません。Authorization: Bearer <APIキー> を付けてください / missing API key: send "Authorization: Bearer <key>"', 'missing_api_key');
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw unauthorized('Authorization ヘッダーの形式が違います / the Authorization header must be "Bearer <key>"', 'invalid_authorization_header');
    for (const p of providers) {
      const actor = await p.authenticate(m[1]!);
      if (actor) {
        const { keyId, ...who } = actor;
        c.set('actor', who);
        c.set('keyId', keyId);
        return next();
      }
    }
    throw unauthorized('APIキーが正しくありません / the API key is not valid', 'invalid_api_key');
  };
}

/** 403 unless the caller has one of the roles. */
export function requireRole(...roles: Role[]): MiddlewareHandler<GatewayEnv> {
  return async function checkRole(c, next) {
    const { role } = c.get('actor');
    if (!roles.includes(role)) {
      throw forbidden(`この操作には ${roles.join(' / ')} の権限が必要です（あなたは ${role}） / this needs the role ${roles.join(' or ')}; you are ${role}`);
    }
    return next();
  };
}
