import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AdminTokenGuard } from '@/common/admin-token.guard';
import { OutboxService } from '@/outbox/outbox.service';
import { WhatsAppCloudAdapter } from './whatsapp-cloud.adapter';

/** The Cloud API channel's state for the NGO's admins (ADMIN_API_TOKEN); the same route as WhatsApp Web's. */
@ApiTags('whatsapp (admin)')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('api/v1/whatsapp')
export class WhatsAppCloudAdminController {
  constructor(
    private readonly whatsapp: WhatsAppCloudAdapter,
    private readonly outbox: OutboxService,
  ) {}

  /** `queued`: WhatsApp messages in the outbox; `waitingForReply`: those of them waiting for the person to write (the 24-hour window). */
  @Get('status')
  async status(): Promise<{ mode: 'cloud'; connected: boolean; queued: number; waitingForReply: number }> {
    return {
      mode: 'cloud',
      connected: this.whatsapp.isReady(),
      queued: await this.outbox.pendingCount('whatsapp'),
      waitingForReply: await this.outbox.pendingCount('whatsapp', true),
    };
  }
}
