export type Env = {
  CARTS: KVNamespace;
  SESSIONS: KVNamespace;
};
