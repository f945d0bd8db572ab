export interface Env {
  CARTS: KVNamespace;
  SESSIONS: KVNamespace;
  API_ORIGIN: string;
}
