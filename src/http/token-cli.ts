import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config';
import { developmentSecret, ROLES, signToken, type Role } from './auth';

const USAGE = 'Usage: npm run token -- --role viewer|planner|admin --sub <name> [--ttl 8h]';

/** `npm run token`: prints a bearer token signed with JWT_SECRET, or with the local development secret. */
async function main() {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      sub: { type: 'string' },
      ttl: { type: 'string', default: '8h' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.role || !(ROLES as readonly string[]).includes(values.role))
    throw new ConfigError(`--role must be one of ${ROLES.join(', ')}.\n${USAGE}`);
  if (!values.sub || values.sub.length > 200)
    throw new ConfigError(`--sub must name the token's subject (at most 200 characters).\n${USAGE}`);
  if (!/^\d+\s*(s|m|h|d)$/.test(values.ttl ?? ''))
    throw new ConfigError(`--ttl must be a duration such as 30m, 8h or 2d.\n${USAGE}`);
  const config = loadConfig();
  const [, amount, unit] = /^(\d+)\s*(s|m|h|d)$/.exec(values.ttl!)!;
  const seconds = Number(amount) * { s: 1, m: 60, h: 3600, d: 86400 }[unit as 's' | 'm' | 'h' | 'd'];
  if (seconds > config.auth.maxTokenTtlSeconds) {
    throw new ConfigError(
      `--ttl ${values.ttl} is longer than the registry accepts (JWT_MAX_TTL, ${config.auth.maxTokenTtlSeconds} s).\n${USAGE}`,
    );
  }
  if (!config.auth.secret && (config.auth.publicKey || config.auth.jwksUrl)) {
    throw new ConfigError(
      'This registry checks RS256 tokens (JWT_PUBLIC_KEY or JWT_JWKS_URL): get tokens from their issuer.',
    );
  }
  if (!config.auth.secret && config.nodeEnv === 'production')
    throw new ConfigError('Set JWT_SECRET to sign tokens in production.');
  const secret = config.auth.secret ?? developmentSecret().secret;
  console.log(
    await signToken(secret, {
      sub: values.sub,
      role: values.role as Role,
      ttl: values.ttl,
      issuer: config.auth.issuer ?? undefined,
      audience: config.auth.audience ?? undefined,
      rolesClaim: config.auth.rolesClaim,
    }),
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
