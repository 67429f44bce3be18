import { CanActivate, ExecutionContext, HttpException, HttpStatus, Inject, Injectable, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { RateLimiter } from './rate-limiter';
import type { Request } from 'express';
import type { AppConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';
import { secretsEqual } from './secrets';

/** Admin endpoints: `Authorization: Bearer <ADMIN_API_TOKEN>`, compared in constant time. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly limiter: RateLimiter;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.limiter = new RateLimiter(config.privacy.adminRatePerMinute, 60_000);
  }

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.adminApiToken;
    if (!expected) throw new ServiceUnavailableException('The admin API is off: set ADMIN_API_TOKEN');
    const request = context.switchToHttp().getRequest<Request>();
    // Limits guessing as well as scraping: counted per client address, before the token is checked.
    if (!this.limiter.take(request.ip ?? 'unknown')) throw new HttpException('Too many requests; try again in a minute', HttpStatus.TOO_MANY_REQUESTS);
    const header = request.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!given || !secretsEqual(given, expected)) throw new UnauthorizedException('A valid admin token is required');
    return true;
  }
}
