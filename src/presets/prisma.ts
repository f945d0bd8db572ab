import type { CallRule, HandleRule, Preset } from './types.js';

/**
 * Prisma Client. The generated client lives in `node_modules/.prisma/client` (module
 * '.prisma') and is re-exported by '@prisma/client'; both are listed. Model calls are
 * declared on the generated `Prisma.<Model>Delegate` interfaces. When the client was
 * never generated, the analyzer matches these names through the import chain (SL2003).
 */
const modules = ['@prisma/client', '.prisma'];

const modelReads = ['findMany', 'findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'count', 'aggregate', 'groupBy'];
const modelWrites = [
  'create', 'createMany', 'createManyAndReturn', 'update', 'updateMany', 'updateManyAndReturn',
  'upsert', 'delete', 'deleteMany',
];
const clientReads = ['$queryRaw', '$queryRawUnsafe', '$queryRawTyped'];
const clientWrites = ['$executeRaw', '$executeRawUnsafe', '$transaction', '$runCommandRaw'];

const calls: CallRule[] = modules.flatMap((module): CallRule[] => [
  ...modelReads.map((name): CallRule => ({ match: { module, owner: '*Delegate', name }, op: 'read' })),
  ...modelWrites.map((name): CallRule => ({ match: { module, owner: '*Delegate', name }, op: 'write' })),
  ...clientReads.map((name): CallRule => ({ match: { module, owner: 'PrismaClient', name }, op: 'read' })),
  ...clientWrites.map((name): CallRule => ({ match: { module, owner: 'PrismaClient', name }, op: 'write' })),
]);

const handles: HandleRule[] = modules.flatMap((module): HandleRule[] => [
  // The client handed to an interactive `$transaction(async (tx) => …)` callback.
  { match: { module, owner: '*', name: 'TransactionClient' }, kind: 'resource' },
  { match: { module, owner: '*', name: 'PrismaClient' }, kind: 'store-handle' },
]);

export const prismaPreset: Preset = {
  name: 'prisma',
  description: 'Prisma Client: model delegates (findMany, create…), $queryRaw, $executeRaw, $transaction',
  packages: ['@prisma/client'],
  store: { kind: 'sql', consistency: 'strong', home: 'origin', replicas: 'none', lowering: 'stopline:sql/query' },
  capability: null,
  calls,
  references: [],
  handles,
};
