import { badUserInput } from './errors';

/** Types that `node(id:)` resolves. */
export const NODE_TYPES = [
  'Plan',
  'PlanSection',
  'PlanTask',
  'Agency',
  'Project',
  'ProjectStatusChange',
  'LegalDocument',
  'FundingAllocation',
  'SourceReference',
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

/** Global IDs are base64url of `Type:databaseId`: opaque to clients, cheap to decode. */
export function toGlobalId(type: NodeType, id: number): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
}

export interface DecodedId {
  type: NodeType;
  id: number;
}

/** Decodes a global ID; null when it is not one of ours (so `node` answers null, as Relay expects). */
export function fromGlobalId(globalId: string): DecodedId | null {
  if (
    typeof globalId !== 'string' ||
    globalId.length === 0 ||
    globalId.length > 200 ||
    !/^[A-Za-z0-9_-]+$/.test(globalId)
  ) {
    return null;
  }
  const text = Buffer.from(globalId, 'base64url').toString('utf8');
  const match = /^([A-Za-z]+):([1-9]\d{0,9})$/.exec(text);
  if (!match) return null;
  const type = match[1] as NodeType;
  const id = Number(match[2]);
  if (!NODE_TYPES.includes(type) || id > 2147483647) return null;
  return { type, id };
}

/** Decodes a global ID that must name an object of `type`; a clear BAD_USER_INPUT error otherwise. */
export function expectGlobalId(globalId: string, type: NodeType, argument = 'id'): number {
  const decoded = fromGlobalId(globalId);
  if (!decoded) throw badUserInput(`"${argument}" is not a valid ID.`, { argument });
  if (decoded.type !== type) {
    throw badUserInput(`"${argument}" is the ID of a ${decoded.type}, not a ${type}.`, { argument });
  }
  return decoded.id;
}
