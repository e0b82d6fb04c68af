import { GraphQLError } from 'graphql';

export const ROLES = ['viewer', 'planner', 'admin'] as const;
export type Role = (typeof ROLES)[number];
const RANK: Record<Role, number> = { viewer: 1, planner: 2, admin: 3 };

/** Who is asking: a verified token's subject and strongest role, or nobody. */
export type Viewer = { kind: 'anonymous' } | { kind: 'user'; subject: string; role: Role };

/** A caller known by a verified token. */
export type User = Extract<Viewer, { kind: 'user' }>;

export const ANONYMOUS: Viewer = { kind: 'anonymous' };

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
}

/** The caller must have `role` or a stronger one. */
export function assertRole(viewer: Viewer, role: Role, action: string): asserts viewer is User {
  if (viewer.kind === 'anonymous') throw unauthenticated(`${action} needs a bearer token with the ${role} role.`);
  if (RANK[viewer.role] < RANK[role])
    throw forbidden(`${action} needs the ${role} role; the token has ${viewer.role}.`);
}

export function hasRole(viewer: Viewer, role: Role): boolean {
  return viewer.kind === 'user' && RANK[viewer.role] >= RANK[role];
}

/** The strongest of these roles. */
export function strongest(roles: readonly Role[]): Role | null {
  return [...roles].sort((a, b) => RANK[b] - RANK[a])[0] ?? null;
}
