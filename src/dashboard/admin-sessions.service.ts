import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';
import { secretsEqual } from '@/common/secrets';
import { RedisService } from '@/redis/redis.service';
import { MemorySessionStore, RedisSessionStore, SessionStore } from './session-store';

const SESSION_MS = 8 * 60 * 60 * 1000;
const LINK_MS = 10 * 60 * 1000;

/** Who signed in to the dashboard and how. */
export interface AdminSession {
  via: 'token' | 'doctor-link';
  who: string;
}

/**
 * Dashboard sign-in: with the admin token, or with a one-time link a registered doctor gets from the
 * bot (`/dashboard`, valid 10 minutes, usable once). Sessions last 8 hours. With `REDIS_URL` sessions
 * and links live in Redis, so a link made by one instance works on another; else in memory.
 */
@Injectable()
export class AdminSessionsService {
  private readonly sessions: SessionStore;
  private readonly links: SessionStore;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    redis: RedisService,
  ) {
    const store = (kind: string) =>
      redis.choose<SessionStore>(
        `dashboard:${kind}:`,
        () => new MemorySessionStore(),
        (connection, prefix) => new RedisSessionStore(connection, prefix),
      );
    this.sessions = store('session');
    this.links = store('link');
  }

  /** Starts a session when `token` is the admin token; undefined otherwise. */
  async signInWithToken(token: string): Promise<string | undefined> {
    const expected = this.config.adminApiToken;
    if (!expected || !secretsEqual(token, expected)) return undefined;
    return this.open({ via: 'token', who: 'admin' });
  }

  /** A one-time sign-in link for a doctor (the caller sends it privately). */
  async oneTimeLink(who: string): Promise<string> {
    const code = randomBytes(24).toString('base64url');
    await this.links.set(code, { who }, LINK_MS);
    return `${this.config.http.publicUrl}/admin/login?code=${code}`;
  }

  /** Redeems a one-time link code; it can never be used again. */
  async redeem(code: string): Promise<string | undefined> {
    const link = await this.links.take<{ who: string }>(code);
    return link ? this.open({ via: 'doctor-link', who: link.who }) : undefined;
  }

  get(sessionId: string | undefined): Promise<AdminSession | undefined> {
    return sessionId ? this.sessions.get<AdminSession>(sessionId) : Promise.resolve(undefined);
  }

  async end(sessionId: string | undefined): Promise<void> {
    if (sessionId) await this.sessions.delete(sessionId);
  }

  private async open(session: AdminSession): Promise<string> {
    const id = randomBytes(24).toString('base64url');
    await this.sessions.set(id, session, SESSION_MS);
    return id;
  }
}
