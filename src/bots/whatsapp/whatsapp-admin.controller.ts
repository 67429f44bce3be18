import { Controller, Get, Header, NotFoundException, StreamableFile, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { toBuffer } from 'qrcode';
import { AdminTokenGuard } from '@/common/admin-token.guard';
import { WhatsAppAdapter } from './whatsapp.adapter';

/** The WhatsApp login QR code as a PNG, for the first login of the NGO's phone (ADMIN_API_TOKEN). */
@ApiTags('whatsapp (admin)')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('api/v1/whatsapp')
export class WhatsAppAdminController {
  constructor(private readonly whatsapp: WhatsAppAdapter) {}

  @Get('qr.png')
  @Header('Content-Type', 'image/png')
  @Header('Cache-Control', 'no-store')
  async qr(): Promise<StreamableFile> {
    const qr = this.whatsapp.currentQr();
    if (!qr) throw new NotFoundException(this.whatsapp.isReady() ? 'Already logged in' : 'No QR code yet; the client is starting');
    return new StreamableFile(await toBuffer(qr, { type: 'png', width: 360 }));
  }

  @Get('status')
  status(): { connected: boolean; queued: number; needsQrScan: boolean } {
    return { connected: this.whatsapp.isReady(), queued: this.whatsapp.queuedCount(), needsQrScan: !!this.whatsapp.currentQr() };
  }
}
