import { createHmac } from 'node:crypto';
import {
  Controller,
  ForbiddenException,
  Get,
  Header,
  Headers,
  HttpCode,
  Logger,
  Post,
  Query,
  RawBodyRequest,
  Req,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { secretsEqual } from '@/common/secrets';
import type { CloudWebhook } from './cloud-webhook.types';
import { WhatsAppCloudAdapter } from './whatsapp-cloud.adapter';

/**
 * The Cloud API's webhook: Meta verifies the URL with a GET (echoing `hub.challenge` when
 * `hub.verify_token` is ours), then POSTs events signed with the app secret (`X-Hub-Signature-256`,
 * HMAC-SHA256 of the raw body), checked in constant time. Unsigned or wrongly signed posts are refused
 * and logged without their content.
 */
@ApiExcludeController()
@Controller('whatsapp')
export class WhatsAppCloudWebhookController {
  private readonly logger = new Logger(WhatsAppCloudWebhookController.name);

  constructor(private readonly whatsapp: WhatsAppCloudAdapter) {}

  @Get('webhook')
  @Header('Content-Type', 'text/plain')
  verify(
    @Query('hub.mode') mode: string | undefined,
    @Query('hub.verify_token') token: string | undefined,
    @Query('hub.challenge') challenge: string | undefined,
  ): string {
    if (mode !== 'subscribe' || !challenge || !secretsEqual(token ?? '', this.whatsapp.verifyToken)) {
      this.logger.warn('Refused a WhatsApp webhook verification: wrong mode or verify token');
      throw new ForbiddenException('Verification failed');
    }
    this.logger.log('WhatsApp webhook verified by Meta');
    return challenge;
  }

  @Post('webhook')
  @HttpCode(200)
  async receive(@Req() req: RawBodyRequest<Request>, @Headers('x-hub-signature-256') signature?: string): Promise<void> {
    const raw = req.rawBody ?? Buffer.alloc(0);
    const expected = `sha256=${createHmac('sha256', this.whatsapp.appSecret).update(raw).digest('hex')}`;
    if (!signature || !secretsEqual(signature, expected)) {
      this.logger.warn(
        `Refused a WhatsApp webhook POST (${raw.length} bytes): ${signature ? 'wrong' : 'no'} X-Hub-Signature-256`,
      );
      throw new UnauthorizedException('Bad signature');
    }
    // While shutting down, 503: Meta delivers it again later, so nothing is lost.
    if (!(await this.whatsapp.receive(req.body as CloudWebhook))) throw new ServiceUnavailableException('Shutting down');
  }
}
