declare module 'fastly:secret-store' {
  export interface SecretStoreEntry {
    plaintext(): string;
  }
  export class SecretStore {
    constructor(name: string);
    get(key: string): Promise<SecretStoreEntry | null>;
  }
}
declare module 'fastly:env' {
  export function env(name: string): string;
}
