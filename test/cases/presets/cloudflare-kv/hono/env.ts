export type Env = {
  CARTS: KVNamespace;
  SESSIONS: KVNamespace;
  FLAGS: KVNamespace;
};
