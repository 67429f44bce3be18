import {
  CanActivate,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request } from 'express';
import type { AppConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';
import { RateLimits } from '@/rate-limits/rate-limits.service';
import { secretsEqual } from './secrets';

/** Admin endpoints: `Authorization: Bearer <ADMIN_API_TOKEN>`, compared in constant time. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly rateLimits: RateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const expected = this.config.adminApiToken;
    if (!expected) throw new ServiceUnavailableException('The admin API is off: set ADMIN_API_TOKEN');
    const request = context.switchToHttp().getRequest<Request>();
    // Limits guessing as well as scraping: counted per client address, before the token is checked.
    if (
      !(await this.rateLimits.take({
        key: `admin-api:${request.ip ?? 'unknown'}`,
        limit: this.config.privacy.adminRatePerMinute,
        windowMs: 60_000,
      }))
    )
      throw new HttpException('Too many requests; try again in a minute', HttpStatus.TOO_MANY_REQUESTS);
    const header = request.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!given || !secretsEqual(given, expected)) throw new UnauthorizedException('A valid admin token is required');
    return true;
  }
}
