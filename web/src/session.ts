/**
 * The signed-in token, kept for the browser session only (sessionStorage: gone when the tab
 * closes, never in localStorage or a cookie), and who it is, as GET /api/session says.
 */
export type Role = 'admin' | 'finance' | 'housing' | 'clerk' | 'auditor' | 'viewer';

export interface Actor {
  actorId: string;
  role: Role;
  org: string;
  towns?: string[];
}

const KEY = 'renovation-ledger.token';

export function storedToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function storeToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: '系统管理员',
  finance: '财政局',
  housing: '住建委',
  clerk: '镇街经办',
  auditor: '审计',
  viewer: '查阅',
};

/** The bureau's pages (fund batches, bank reconciliation): the roles that keep those books or audit them. */
export function seesBureauPages(role: Role): boolean {
  return role === 'finance' || role === 'admin' || role === 'auditor';
}
