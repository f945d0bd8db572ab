/**
 * ioredis' call shapes over a key-value store, shared by the Node shim
 * (src/runtime/shims/ioredis.ts, on the embedded KV store) and the guest lowering
 * (codegen/lower/ioredis.ts, on `wasi:keyvalue/store`), so the original and the split
 * program run the same commands with the same replies and the same errors. Plain web
 * JavaScript: it runs in Node and in StarlingMonkey.
 *
 *   const Redis = createRedisClass({ Emitter, storeOf, toBuffer });
 *   const redis = new Redis('redis://localhost:6379', { maxRetriesPerRequest: 2 });  // nothing connects
 *   await redis.set('k', 'v', 'EX', 60);   // 'OK'
 *   await redis.get('k');                  // 'v'
 *   await redis.del('k', 'other');         // 1
 *
 * Commands (Redis' own semantics and error replies, as `ReplyError` with Redis' message):
 *   strings  get, set [NX|XX] [GET] [EX s|PX ms|EXAT|PXAT|KEEPTTL], setnx, setex, psetex,
 *            getset, getdel, mget, mset, append, strlen, incr, incrby, decr, decrby
 *   keys     del, unlink, exists, expire, pexpire, persist, ttl, pttl
 *   and `call(name, …args)` for any of them. Each also has its `…Buffer` variant (the reply
 *   as bytes: a Buffer in Node, a Uint8Array in a component).
 * Arguments are converted as ioredis converts them (null/undefined → '', unsafe integers
 * through BigInt, bytes kept, anything else String()); arrays are flattened. Every command
 * acts on the store when it is called (the stores are synchronous) and returns a settled
 * promise, or calls a node-style callback given as the last argument.
 *
 * Expiry is NOT emulated: EX/PX/EXAT/PXAT and EXPIRE are checked as Redis checks them and
 * then ignored — a key never expires, TTL answers -1 for an existing key. A key-value
 * store (wasi:keyvalue, the embedded store) has no TTL to give it; within one request the
 * virtual clock moves by round trips (milliseconds), far below any realistic TTL, and every
 * request of a differential test starts from the seed. Not supported (a TypeError when
 * called): pipelines and MULTI, pub/sub, scripts, and every command not listed above.
 */

/** The store under a client: string or byte values, as the embedded KV store and wasi:keyvalue keep them. */
export interface RedisKv {
  get(key: string): string | Uint8Array | undefined;
  set(key: string, value: string | Uint8Array): void;
  delete(key: string): void;
  has(key: string): boolean;
}

/** redis-errors' ReplyError: an error reply of the server (`ERR syntax error`); its name is the class's name. */
export class ReplyError extends Error {
  /** ioredis adds the command that failed. */
  command?: { name: string; args: (string | Uint8Array)[] };
  override get name(): string {
    return 'ReplyError';
  }
}

type Arg = string | Uint8Array;
type Reply = string | number | null | Uint8Array | Reply[];

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const SYNTAX = 'ERR syntax error';
const NOT_INTEGER = 'ERR value is not an integer or out of range';
const WRONG_ARGS = (name: string): string => `ERR wrong number of arguments for '${name}' command`;

/** ioredis' `toArg`, with bytes kept as they are. */
export function toArg(arg: unknown): Arg {
  if (arg instanceof Uint8Array) return arg;
  if (arg === null || arg === undefined) return '';
  if (typeof arg === 'number' && Number.isInteger(arg) && !Number.isSafeInteger(arg)) return BigInt(arg).toString();
  return String(arg);
}

const text = (value: Arg): string => (typeof value === 'string' ? value : decoder.decode(value));
const bytesOf = (value: string | Uint8Array): Uint8Array => (typeof value === 'string' ? encoder.encode(value) : value);

/** A whole decimal integer in the 64-bit range, as Redis parses one; else the ERR reply. */
function integer(value: Arg): number {
  const s = text(value);
  if (!/^-?(0|[1-9][0-9]*)$/.test(s)) throw new ReplyError(NOT_INTEGER);
  const n = BigInt(s);
  if (n > 9223372036854775807n || n < -9223372036854775808n) throw new ReplyError(NOT_INTEGER);
  return Number(n);
}

function arity(name: string, args: readonly Arg[], min: number, max = min): void {
  if (args.length < min || args.length > max) throw new ReplyError(WRONG_ARGS(name));
}

function key(args: readonly Arg[], i: number): string {
  return text(args[i]!);
}

function setCommand(kv: RedisKv, args: readonly Arg[]): Reply {
  if (args.length < 2) throw new ReplyError(WRONG_ARGS('set'));
  const k = key(args, 0);
  const value = args[1]!;
  let condition: 'NX' | 'XX' | null = null;
  let get = false;
  let expiry: string | null = null;
  for (let i = 2; i < args.length; i++) {
    const option = text(args[i]!).toUpperCase();
    if ((option === 'NX' || option === 'XX') && condition === null) condition = option;
    else if (option === 'GET' && !get) get = true;
    else if (option === 'KEEPTTL' && expiry === null) expiry = option;
    else if ((option === 'EX' || option === 'PX' || option === 'EXAT' || option === 'PXAT') && expiry === null && i + 1 < args.length) {
      expiry = option;
      if (integer(args[++i]!) <= 0) throw new ReplyError("ERR invalid expire time in 'set' command");
    } else throw new ReplyError(SYNTAX);
  }
  const old = kv.get(k);
  const exists = old !== undefined;
  const reply: Reply = get ? (old ?? null) : 'OK';
  if ((condition === 'NX' && exists) || (condition === 'XX' && !exists)) return get ? (old ?? null) : null;
  kv.set(k, value);
  return reply;
}

function incrementBy(kv: RedisKv, k: string, delta: number): number {
  const current = kv.get(k);
  const base = current === undefined ? 0 : integer(current);
  const next = base + delta;
  if (!Number.isSafeInteger(next)) throw new ReplyError('ERR increment or decrement would overflow');
  kv.set(k, String(next));
  return next;
}

function expireCommand(name: string, kv: RedisKv, args: readonly Arg[]): Reply {
  if (args.length < 2) throw new ReplyError(WRONG_ARGS(name));
  integer(args[1]!);
  for (const option of args.slice(2)) if (!['NX', 'XX', 'GT', 'LT'].includes(text(option).toUpperCase())) throw new ReplyError(`ERR Unsupported option ${text(option)}`);
  return kv.has(key(args, 0)) ? 1 : 0;
}

/** Redis commands on `kv`: each takes the converted arguments and answers the reply (or throws a ReplyError). */
const COMMANDS: Readonly<Record<string, (kv: RedisKv, args: readonly Arg[]) => Reply>> = {
  get(kv, args) {
    arity('get', args, 1);
    return kv.get(key(args, 0)) ?? null;
  },
  set: setCommand,
  setnx(kv, args) {
    arity('setnx', args, 2);
    if (kv.has(key(args, 0))) return 0;
    kv.set(key(args, 0), args[1]!);
    return 1;
  },
  setex(kv, args) {
    arity('setex', args, 3);
    if (integer(args[1]!) <= 0) throw new ReplyError("ERR invalid expire time in 'setex' command");
    kv.set(key(args, 0), args[2]!);
    return 'OK';
  },
  psetex(kv, args) {
    arity('psetex', args, 3);
    if (integer(args[1]!) <= 0) throw new ReplyError("ERR invalid expire time in 'psetex' command");
    kv.set(key(args, 0), args[2]!);
    return 'OK';
  },
  getset(kv, args) {
    arity('getset', args, 2);
    const old = kv.get(key(args, 0)) ?? null;
    kv.set(key(args, 0), args[1]!);
    return old;
  },
  getdel(kv, args) {
    arity('getdel', args, 1);
    const old = kv.get(key(args, 0)) ?? null;
    if (old !== null) kv.delete(key(args, 0));
    return old;
  },
  mget(kv, args) {
    if (args.length < 1) throw new ReplyError(WRONG_ARGS('mget'));
    return args.map((k) => kv.get(text(k)) ?? null);
  },
  mset(kv, args) {
    if (args.length < 2 || args.length % 2 !== 0) throw new ReplyError(WRONG_ARGS('mset'));
    for (let i = 0; i < args.length; i += 2) kv.set(key(args, i), args[i + 1]!);
    return 'OK';
  },
  append(kv, args) {
    arity('append', args, 2);
    const current = kv.get(key(args, 0));
    const added = args[1]!;
    const joined = current === undefined ? added : typeof current === 'string' && typeof added === 'string' ? current + added : new Uint8Array([...bytesOf(current), ...bytesOf(added)]);
    kv.set(key(args, 0), joined);
    return bytesOf(joined).length;
  },
  strlen(kv, args) {
    arity('strlen', args, 1);
    const current = kv.get(key(args, 0));
    return current === undefined ? 0 : bytesOf(current).length;
  },
  incr(kv, args) {
    arity('incr', args, 1);
    return incrementBy(kv, key(args, 0), 1);
  },
  incrby(kv, args) {
    arity('incrby', args, 2);
    return incrementBy(kv, key(args, 0), integer(args[1]!));
  },
  decr(kv, args) {
    arity('decr', args, 1);
    return incrementBy(kv, key(args, 0), -1);
  },
  decrby(kv, args) {
    arity('decrby', args, 2);
    return incrementBy(kv, key(args, 0), -integer(args[1]!));
  },
  del(kv, args) {
    if (args.length < 1) throw new ReplyError(WRONG_ARGS('del'));
    let removed = 0;
    for (const k of new Set(args.map(text))) {
      if (kv.has(k)) {
        kv.delete(k);
        removed += 1;
      }
    }
    return removed;
  },
  unlink(kv, args) {
    if (args.length < 1) throw new ReplyError(WRONG_ARGS('unlink'));
    return COMMANDS['del']!(kv, args);
  },
  exists(kv, args) {
    if (args.length < 1) throw new ReplyError(WRONG_ARGS('exists'));
    return args.filter((k) => kv.has(text(k))).length;
  },
  expire: (kv, args) => expireCommand('expire', kv, args),
  pexpire: (kv, args) => expireCommand('pexpire', kv, args),
  persist(kv, args) {
    arity('persist', args, 1);
    return 0;
  },
  ttl(kv, args) {
    arity('ttl', args, 1);
    return kv.has(key(args, 0)) ? -1 : -2;
  },
  pttl(kv, args) {
    arity('pttl', args, 1);
    return kv.has(key(args, 0)) ? -1 : -2;
  },
};

/** The commands the shim and the lowering answer, lower case. */
export const REDIS_COMMANDS: readonly string[] = Object.keys(COMMANDS).sort();

export interface RedisEmitter {
  on(event: string | symbol, listener: (...args: unknown[]) => void): unknown;
  emit(event: string | symbol, ...args: unknown[]): boolean;
}

export interface RedisClassOptions {
  /** The EventEmitter the client extends (node:events in Node, MiniEmitter in a component). */
  readonly Emitter: new () => RedisEmitter;
  /** The store a client uses (its binding, or the only ioredis store); throws when there is none. */
  storeOf(client: object): RedisKv;
  /** A bytes reply of a `…Buffer` command as the platform's bytes (Buffer in Node). */
  toBuffer(bytes: Uint8Array): unknown;
  /** Where callbacks run (process.nextTick in Node, queueMicrotask in a component). */
  defer(fn: () => void): void;
}

type Callback = (error: Error | null, result?: unknown) => void;

export interface RedisClient {
  readonly options: Readonly<Record<string, unknown>>;
  status: string;
  call(command: string, ...args: unknown[]): Promise<unknown> | undefined;
  connect(): Promise<void>;
  quit(): Promise<string>;
  disconnect(): void;
}

/**
 * The `Redis` class (ioredis' default and named export) over `options.storeOf(client)`:
 * its constructor takes ioredis' arguments (port, host, url, options in any of its forms)
 * and connects to nothing; `status` is 'ready' until `quit()`/`disconnect()`.
 */
export function createRedisClass(options: RedisClassOptions): new (...args: unknown[]) => RedisClient & Record<string, (...args: unknown[]) => unknown> {
  const { storeOf, toBuffer, defer } = options;

  function run(client: object, name: string, rawArgs: readonly unknown[], asBytes: boolean): Promise<unknown> | undefined {
    const last = rawArgs[rawArgs.length - 1];
    const callback = typeof last === 'function' ? (last as Callback) : undefined;
    const args = (callback ? rawArgs.slice(0, -1) : rawArgs).flat(Infinity).map(toArg);
    let outcome: { ok: true; value: unknown } | { ok: false; error: Error };
    try {
      const command = COMMANDS[name];
      if (command === undefined) throw new TypeError(`ioredis (stopline): the command '${name}' is not supported`);
      if ((client as { status?: unknown }).status === 'end') throw new Error('Connection is closed.');
      const reply = command(storeOf(client), args);
      outcome = { ok: true, value: convertReply(reply, asBytes) };
    } catch (error) {
      if (error instanceof ReplyError) error.command = { name, args };
      outcome = { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
    }
    if (callback) {
      defer(() => (outcome.ok ? callback(null, outcome.value) : callback(outcome.error)));
      return undefined;
    }
    return outcome.ok ? Promise.resolve(outcome.value) : Promise.reject(outcome.error);
  }

  function convertReply(reply: Reply, asBytes: boolean): unknown {
    if (Array.isArray(reply)) return reply.map((r) => convertReply(r, asBytes));
    if (reply === null || typeof reply === 'number') return reply;
    if (asBytes) return toBuffer(bytesOf(reply));
    return typeof reply === 'string' ? reply : decoder.decode(reply);
  }

  class Redis extends options.Emitter {
    readonly options: Readonly<Record<string, unknown>>;
    status = 'ready';

    constructor(...args: unknown[]) {
      super();
      const given = args.filter((a): a is Record<string, unknown> => typeof a === 'object' && a !== null);
      this.options = Object.assign({}, ...given) as Record<string, unknown>;
    }

    call(command: string, ...args: unknown[]): Promise<unknown> | undefined {
      const name = String(command).toLowerCase();
      return run(this, name.endsWith('buffer') ? name.slice(0, -'buffer'.length) : name, args, name.endsWith('buffer'));
    }

    connect(): Promise<void> {
      this.status = 'ready';
      return Promise.resolve();
    }

    quit(): Promise<string> {
      this.status = 'end';
      this.emit('end');
      return Promise.resolve('OK');
    }

    disconnect(): void {
      this.status = 'end';
      this.emit('end');
    }
  }

  for (const name of REDIS_COMMANDS) {
    const proto = Redis.prototype as unknown as Record<string, unknown>;
    proto[name] = function (this: object, ...args: unknown[]) {
      return run(this, name, args, false);
    };
    proto[`${name}Buffer`] = function (this: object, ...args: unknown[]) {
      return run(this, name, args, true);
    };
  }
  return Redis as unknown as new (...args: unknown[]) => RedisClient & Record<string, (...args: unknown[]) => unknown>;
}
