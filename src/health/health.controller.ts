import { Controller, Get, HttpStatus, Logger, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { ChannelRegistry } from '@/messaging/channel.registry';
import { InferenceService } from '@/inference/inference.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly logger = new Logger(HealthController.name);

  constructor(
    private readonly db: DataSource,
    private readonly inference: InferenceService,
    private readonly channels: ChannelRegistry,
  ) {}

  /** 200 with `{status:'ok'}` once the database, the model and every enabled channel are ready; 503 otherwise. */
  @Get()
  async health(@Res() res: Response): Promise<void> {
    let database = false;
    try {
      await this.db.query('SELECT 1');
      database = true;
    } catch (err) {
      this.logger.warn(`Health check: the database does not answer: ${(err as Error).message}`);
    }
    const model = this.inference.describe();
    const channels = Object.fromEntries(this.channels.names().map((n) => [n, this.channels.get(n).isReady()]));
    const ok = database && !!model && Object.values(channels).every(Boolean);
    res.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json({
      status: ok ? 'ok' : 'unavailable',
      database,
      model: model ?? null,
      channels,
    });
  }
}
