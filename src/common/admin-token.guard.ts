import { CanActivate, ExecutionContext, Inject, Injectable, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import type { AppConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';
import { secretsEqual } from './secrets';

/** Admin endpoints: `Authorization: Bearer <ADMIN_API_TOKEN>`, compared in constant time. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.adminApiToken;
    if (!expected) throw new ServiceUnavailableException('The admin API is off: set ADMIN_API_TOKEN');
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!given || !secretsEqual(given, expected)) throw new UnauthorizedException('A valid admin token is required');
    return true;
  }
}
