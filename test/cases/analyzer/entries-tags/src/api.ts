export function list(page: number): number[] {
  return [page];
}

/** @stopline entry origin */
export function report(): string {
  return 'report';
}

/** @stopline entry moon */
export function lunar(): string {
  return 'moon';
}

/** @stopline entry */
export function vague(): string {
  return 'vague';
}

/**
 * Shows a banner.
 * @stopline entyr edge
 */
export const banner = (): string => 'banner';

/** @stopline entry edge */
export const ping = (): string => 'pong';

export class Admin {
  /** @stopline entry client */
  audit(id: string): string {
    return `audit ${id}`;
  }
}
