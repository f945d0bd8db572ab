// Stands in for the generated client: the shape of node_modules/.prisma/client/index.d.ts.
declare module '@prisma/client' {
  export interface User {
    id: string;
    name: string;
  }
  export namespace Prisma {
    interface UserDelegate {
      findMany(args?: object): Promise<User[]>;
      findUnique(args: object): Promise<User | null>;
      count(args?: object): Promise<number>;
      create(args: object): Promise<User>;
      upsert(args: object): Promise<User>;
      update(args: object): Promise<User>;
      deleteMany(args?: object): Promise<{ count: number }>;
    }
    type TransactionClient = Omit<PrismaClient, '$connect' | '$disconnect' | '$transaction'>;
  }
  export class PrismaClient {
    constructor(options?: object);
    get user(): Prisma.UserDelegate;
    $queryRaw<T = unknown>(query: TemplateStringsArray, ...values: unknown[]): Promise<T>;
    $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
    $executeRaw(query: TemplateStringsArray, ...values: unknown[]): Promise<number>;
    $transaction<R>(fn: (tx: Prisma.TransactionClient) => Promise<R>): Promise<R>;
    $connect(): Promise<void>;
    $disconnect(): Promise<void>;
  }
}
