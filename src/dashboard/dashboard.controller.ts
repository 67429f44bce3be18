import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  Post,
  Query,
  Req,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { secretsEqual } from '@/common/secrets';
import type { AppConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';
import { toCsv } from '@/consultations/admin/consultation.view';
import { ConsultationsService } from '@/consultations/consultations.service';
import { RateLimits } from '@/rate-limits/rate-limits.service';
import { AdminSessionsService } from './admin-sessions.service';
import { DASHBOARD_CSP, DASHBOARD_HTML } from './dashboard-page';
import { DashboardService, DashboardStats } from './dashboard.service';

const COOKIE = 'dl_admin';

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** The coordinators' dashboard at /admin (admin token, or a doctor's one-time link). */
@ApiExcludeController()
@Controller('admin')
export class DashboardController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: AdminSessionsService,
    private readonly dashboard: DashboardService,
    private readonly consultations: ConsultationsService,
    private readonly rateLimits: RateLimits,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', DASHBOARD_CSP)
  @Header('Cache-Control', 'no-store')
  page(): string {
    return DASHBOARD_HTML;
  }

  @Post('session')
  @HttpCode(204)
  async signIn(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Body() body: { token?: unknown }): Promise<void> {
    const rule = {
      key: `dashboard-sign-in:${req.ip ?? 'unknown'}`,
      limit: this.config.privacy.adminRatePerMinute,
      windowMs: 60_000,
    };
    if (!(await this.rateLimits.take(rule))) throw new HttpException('Too many attempts', HttpStatus.TOO_MANY_REQUESTS);
    const session = typeof body?.token === 'string' ? await this.sessions.signInWithToken(body.token) : undefined;
    if (!session) throw new UnauthorizedException('Wrong token');
    this.setCookie(res, session);
  }

  @Get('login')
  async login(@Query('code') code: string | undefined, @Res() res: Response): Promise<void> {
    const session = code ? await this.sessions.redeem(code) : undefined;
    if (!session) {
      res
        .status(401)
        .type('text/plain')
        .send('This sign-in link is invalid, used or expired. Send /dashboard in the doctors’ group for a new one.');
      return;
    }
    this.setCookie(res, session);
    res.redirect(302, '/admin');
  }

  @Post('logout')
  @HttpCode(204)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.sessions.end(cookie(req, COOKIE));
    res.clearCookie(COOKIE, { path: '/admin' });
  }

  @Get('api/stats')
  @Header('Cache-Control', 'no-store')
  async stats(@Req() req: Request): Promise<DashboardStats> {
    await this.authorize(req);
    return this.dashboard.stats();
  }

  @Get('export.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="dermlink-cases.csv"')
  async csv(@Req() req: Request): Promise<string> {
    await this.authorize(req);
    return toCsv(await this.consultations.list());
  }

  private async authorize(req: Request): Promise<void> {
    if (await this.sessions.get(cookie(req, COOKIE))) return;
    const bearer = req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7) : '';
    if (bearer && this.config.adminApiToken && secretsEqual(bearer, this.config.adminApiToken)) return;
    throw new UnauthorizedException('Sign in first');
  }

  private setCookie(res: Response, session: string): void {
    res.cookie(COOKIE, session, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.http.publicUrl.startsWith('https://'),
      path: '/admin',
      maxAge: 8 * 60 * 60 * 1000,
    });
  }
}
