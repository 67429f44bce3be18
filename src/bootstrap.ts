import { INestApplication, LogLevel } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import type { BotsOverrides } from './bots/bots.module';
import type { AppConfig } from './config/app-config';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Conservative headers on every response; the "try it" page adds its own Content-Security-Policy. */
function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.removeHeader('X-Powered-By');
  next();
}

/** Builds and configures the HTTP application (shared by main.ts and the e2e tests). */
export async function createApp(config: AppConfig, overrides: BotsOverrides = {}): Promise<INestApplication> {
  const logger = LEVELS.slice(0, LEVELS.indexOf(config.logLevel) + 1);
  const app = await NestFactory.create(AppModule.forRoot(config, overrides), { logger, bodyParser: true, rawBody: true });
  app.enableShutdownHooks();
  app.use(securityHeaders);
  const docs = new DocumentBuilder()
    .setTitle('DermLink API')
    .setDescription(
      'Skin-lesion triage: photo gates + HAM10000 classifier, cases for doctor review. Results are not a diagnosis.',
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, docs));
  return app;
}
