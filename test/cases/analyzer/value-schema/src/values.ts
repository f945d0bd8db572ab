// Values of the types a live-in may have; test/analyzer/value-schema.test.ts reads each
// variable's type with the checker and compares its structural schema.
export interface CartLine {
  productId: number;
  quantity: number;
}
export interface Cart {
  userId: string;
  lines: CartLine[];
  note?: string;
  updatedAt: Date | null;
}
export type Status = 'open' | 'paid';
export enum Level {
  Low = 1,
  High = 2,
}
interface WithMethod {
  id: string;
  describe(): string;
  onChange?: (v: string) => void;
}
interface Tree {
  label: string;
  children: Tree[];
}
interface Page<T> {
  items: T[];
  next: string | undefined;
}
class Account {
  constructor(public readonly id: string) {}
}
type Brand = string & { readonly __brand: 'Id' };

export declare const cart: Cart;
export declare const status: Status;
export declare const level: Level;
export declare const flag: boolean;
export declare const pair: [string, number];
export declare const withMethod: WithMethod;
export declare const tree: Tree;
export declare const page: Page<CartLine>;
export declare const account: Account;
export declare const brand: Brand;
export declare const counts: Record<string, number>;
export declare const tags: Map<string, number>;
export declare const loose: unknown;
export declare const template: `cart:${string}`;
export declare const big: 10n | bigint;
