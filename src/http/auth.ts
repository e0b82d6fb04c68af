import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { JWTPayload, JWTVerifyGetKey } from 'jose' with { 'resolution-mode': 'import' };
import type { AuthConfig, Config } from '../config';
import { ANONYMOUS, ROLES, strongest, unauthenticated, type Role, type Viewer } from '../lib/viewer';

export { ANONYMOUS, ROLES, type Role, type Viewer };

/** Where development keeps the secret it signs local tokens with, when no JWT_SECRET is set. */
export const DEV_SECRET_FILE = path.resolve('.data/dev-jwt-secret');

/**
 * The HS256 secret for development when none is configured: read from, or made once into, `.data/dev-jwt-secret`
 * so that `npm run token` signs with the secret the server checks.
 */
export function developmentSecret(): { secret: string; created: boolean } {
  if (existsSync(DEV_SECRET_FILE)) return { secret: readFileSync(DEV_SECRET_FILE, 'utf8').trim(), created: false };
  mkdirSync(path.dirname(DEV_SECRET_FILE), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(DEV_SECRET_FILE, `${secret}\n`, { mode: 0o600 });
  chmodSync(DEV_SECRET_FILE, 0o600);
  return { secret, created: true };
}

export interface TokenVerifier {
  /** Resolves the viewer of an `Authorization` header value; throws UNAUTHENTICATED for a bad token. */
  viewerOf(authorization: string | undefined): Promise<Viewer>;
  /** The HS256 secret in use, when tokens are checked with one. */
  secret: string | null;
}

/** Checks bearer tokens with jose: HS256 with a secret, or RS256 with a public key or a JWKS. */
export async function createVerifier(
  config: Pick<Config, 'nodeEnv'> & { auth: AuthConfig },
  logger: Pick<Console, 'warn'>,
): Promise<TokenVerifier> {
  const jose = await import('jose');
  const auth = config.auth;
  let secret = auth.secret;
  let key: Uint8Array | Awaited<ReturnType<typeof jose.importSPKI>> | JWTVerifyGetKey;
  let algorithms: string[];
  if (auth.jwksUrl) {
    key = jose.createRemoteJWKSet(new URL(auth.jwksUrl));
    algorithms = ['RS256'];
  } else if (auth.publicKey) {
    key = await jose.importSPKI(auth.publicKey, 'RS256');
    algorithms = ['RS256'];
  } else {
    if (!secret) {
      const dev = developmentSecret();
      secret = dev.secret;
      logger.warn(
        `JWT_SECRET is not set: tokens are signed and checked with a development secret ${dev.created ? 'made now and ' : ''}kept in ` +
          `${path.relative(process.cwd(), DEV_SECRET_FILE)} (npm run token uses it). Set JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL in production.`,
      );
    }
    key = new TextEncoder().encode(secret);
    algorithms = ['HS256'];
  }

  const rolesOf = (payload: JWTPayload): Role | null => {
    const claim = payload[auth.rolesClaim];
    return strongest(
      (Array.isArray(claim) ? claim : [claim]).filter(
        (r): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r),
      ),
    );
  };

  return {
    secret: algorithms[0] === 'HS256' ? secret : null,
    async viewerOf(authorization) {
      if (authorization === undefined || authorization.trim() === '') return ANONYMOUS;
      const match = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)\s*$/i.exec(authorization);
      if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>" with a JSON Web Token.');
      let payload: JWTPayload;
      try {
        ({ payload } = await jose.jwtVerify(match[1], key as never, {
          algorithms,
          issuer: auth.issuer ?? undefined,
          audience: auth.audience ?? undefined,
          clockTolerance: auth.clockSkewSeconds,
        }));
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'ERR_JWT_EXPIRED') throw unauthenticated('The token has expired. Ask for a new one.');
        if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
          const claim = (error as { claim?: string }).claim;
          throw unauthenticated(`The token's "${claim}" claim is not accepted here.`);
        }
        throw unauthenticated('The token is not valid: it is malformed, or not signed by a key this registry trusts.');
      }
      // A token lives a bounded time: it must say when it expires, no later than JWT_MAX_TTL after it was issued (or
      // from now, when it does not say when it was issued), and it may not claim to be issued in the future.
      const now = Math.floor(Date.now() / 1000);
      if (typeof payload.exp !== 'number')
        throw unauthenticated('The token has no expiry ("exp" claim); tokens must expire.');
      if (typeof payload.iat === 'number' && payload.iat > now + auth.clockSkewSeconds) {
        throw unauthenticated('The token says it was issued in the future ("iat" claim). Check the issuer\'s clock.');
      }
      const lifetime = payload.exp - (typeof payload.iat === 'number' ? Math.min(payload.iat, now) : now);
      if (lifetime > auth.maxTokenTtlSeconds || payload.exp - now > auth.maxTokenTtlSeconds) {
        throw unauthenticated(
          `The token lives longer than this registry accepts (${auth.maxTokenTtlSeconds} s, JWT_MAX_TTL). Ask for a shorter-lived one.`,
        );
      }
      if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 200) {
        throw unauthenticated('The token has no subject ("sub" claim).');
      }
      const role = rolesOf(payload);
      if (!role)
        throw unauthenticated(`The token's "${auth.rolesClaim}" claim names none of the roles viewer, planner, admin.`);
      return { kind: 'user', subject: payload.sub, role };
    },
  };
}

/** Signs a development or test token. */
export async function signToken(
  secret: string,
  claims: { sub: string; role: Role; ttl?: string; issuer?: string; audience?: string; rolesClaim?: string },
): Promise<string> {
  const jose = await import('jose');
  let token = new jose.SignJWT({ [claims.rolesClaim ?? 'roles']: [claims.role] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(claims.ttl ?? '8h');
  if (claims.issuer) token = token.setIssuer(claims.issuer);
  if (claims.audience) token = token.setAudience(claims.audience);
  return token.sign(new TextEncoder().encode(secret));
}

/** The caller of a request, or the 401 that refuses it (a bad token, or none where reads need one). */
export async function authenticate(
  authorization: string | undefined,
  verifier: TokenVerifier,
  auth: Pick<AuthConfig, 'requireAuthForReads'>,
): Promise<{ viewer: Viewer } | { refusal: { message: string; challenge: string } }> {
  let viewer: Viewer;
  try {
    viewer = await verifier.viewerOf(authorization);
  } catch (error) {
    const message = error instanceof Error && 'extensions' in error ? error.message : 'The token is not valid.';
    return { refusal: { message, challenge: 'Bearer error="invalid_token"' } };
  }
  if (auth.requireAuthForReads && viewer.kind === 'anonymous') {
    return {
      refusal: {
        message: 'This registry requires a bearer token (Authorization: Bearer <token>).',
        challenge: 'Bearer',
      },
    };
  }
  return { viewer };
}
