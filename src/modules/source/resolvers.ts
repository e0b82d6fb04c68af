import type { Resolvers } from '../../__generated__/graphql';
import { toGlobalId } from '../../lib/global-id';

export const sourceResolvers: Resolvers = {
  SourceReference: {
    id: (source) => toGlobalId('SourceReference', source.id),
    document: (source, _, { loaders }) =>
      source.documentId === null ? null : loaders.legalDocumentById.load(source.documentId),
    supports: (source) => source.supports || null,
  },
  LegalDocument: {
    id: (document) => toGlobalId('LegalDocument', document.id),
  },
};
