import { Controller, Get, Header, NotFoundException, StreamableFile, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { toBuffer } from 'qrcode';
import { AdminTokenGuard } from '@/common/admin-token.guard';
import { OutboxService } from '@/outbox/outbox.service';
import { WhatsAppAdapter } from './whatsapp.adapter';

/** The WhatsApp login QR code as a PNG, for the first login of the NGO's phone (ADMIN_API_TOKEN). */
@ApiTags('whatsapp (admin)')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('api/v1/whatsapp')
export class WhatsAppAdminController {
  constructor(
    private readonly whatsapp: WhatsAppAdapter,
    private readonly outbox: OutboxService,
  ) {}

  @Get('qr.png')
  @Header('Content-Type', 'image/png')
  @Header('Cache-Control', 'no-store')
  async qr(): Promise<StreamableFile> {
    const qr = this.whatsapp.currentQr();
    if (!qr)
      throw new NotFoundException(this.whatsapp.isReady() ? 'Already logged in' : 'No QR code yet; the client is starting');
    return new StreamableFile(await toBuffer(qr, { type: 'png', width: 360 }));
  }

  /** `queued`: WhatsApp messages waiting in the outbox (e.g. while the phone is disconnected). */
  @Get('status')
  async status(): Promise<{ mode: 'web'; connected: boolean; queued: number; needsQrScan: boolean }> {
    return {
      mode: 'web',
      connected: this.whatsapp.isReady(),
      queued: await this.outbox.pendingCount('whatsapp'),
      needsQrScan: !!this.whatsapp.currentQr(),
    };
  }
}
