import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';
import { secretsEqual } from '@/common/secrets';

const SESSION_MS = 8 * 60 * 60 * 1000;
const LINK_MS = 10 * 60 * 1000;

/** Who signed in to the dashboard and how. */
export interface AdminSession {
  via: 'token' | 'doctor-link';
  who: string;
  expires: number;
}

/**
 * Dashboard sign-in: with the admin token, or with a one-time link a registered doctor gets from the
 * bot (`/dashboard`, valid 10 minutes, usable once). Sessions live in memory for 8 hours.
 */
@Injectable()
export class AdminSessionsService {
  private readonly sessions = new Map<string, AdminSession>();
  private readonly links = new Map<string, { who: string; expires: number }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Starts a session when `token` is the admin token; undefined otherwise. */
  signInWithToken(token: string): string | undefined {
    const expected = this.config.adminApiToken;
    if (!expected || !secretsEqual(token, expected)) return undefined;
    return this.open({ via: 'token', who: 'admin' });
  }

  /** A one-time sign-in link for a doctor (the caller sends it privately). */
  oneTimeLink(who: string): string {
    const code = randomBytes(24).toString('base64url');
    this.links.set(code, { who, expires: Date.now() + LINK_MS });
    return `${this.config.http.publicUrl}/admin/login?code=${code}`;
  }

  /** Redeems a one-time link code; it can never be used again. */
  redeem(code: string): string | undefined {
    const link = this.links.get(code);
    this.links.delete(code);
    if (!link || link.expires < Date.now()) return undefined;
    return this.open({ via: 'doctor-link', who: link.who });
  }

  get(sessionId: string | undefined): AdminSession | undefined {
    if (!sessionId) return undefined;
    const s = this.sessions.get(sessionId);
    if (!s || s.expires < Date.now()) {
      this.sessions.delete(sessionId ?? '');
      return undefined;
    }
    return s;
  }

  end(sessionId: string | undefined): void {
    if (sessionId) this.sessions.delete(sessionId);
  }

  private open(s: Omit<AdminSession, 'expires'>): string {
    const id = randomBytes(24).toString('base64url');
    this.sessions.set(id, { ...s, expires: Date.now() + SESSION_MS });
    return id;
  }
}
