import { BadRequestException, Controller, Get, Header, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AdminTokenGuard } from '@/common/admin-token.guard';
import { CONSULTATION_STATUSES, ConsultationStatus } from '../consultation.entity';
import { ConsultationsService } from '../consultations.service';
import { ConsultationView, toCsv, toView } from './consultation.view';

/** Cases for clinic staff (ADMIN_API_TOKEN). */
@ApiTags('consultations (admin)')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('api/v1/consultations')
export class ConsultationsAdminController {
  constructor(private readonly consultations: ConsultationsService) {}

  @Get()
  @ApiQuery({ name: 'status', required: false, description: `Comma-separated: ${CONSULTATION_STATUSES.join(', ')}` })
  async list(@Query('status') status?: string): Promise<ConsultationView[]> {
    return (await this.consultations.list({ status: parseStatuses(status) })).map(toView);
  }

  @Get('export.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="dermlink-cases.csv"')
  @ApiQuery({ name: 'status', required: false })
  async csv(@Query('status') status?: string): Promise<string> {
    return toCsv(await this.consultations.list({ status: parseStatuses(status) }));
  }

  @Get(':code')
  async one(@Param('code') code: string): Promise<ConsultationView> {
    return toView(await this.consultations.getByCode(code));
  }
}

function parseStatuses(raw: string | undefined): ConsultationStatus[] | undefined {
  if (!raw) return undefined;
  const list = raw.split(',').map((s) => s.trim());
  const bad = list.filter((s) => !(CONSULTATION_STATUSES as readonly string[]).includes(s));
  if (bad.length) throw new BadRequestException(`Unknown status: ${bad.join(', ')}. Use ${CONSULTATION_STATUSES.join(', ')}`);
  return list as ConsultationStatus[];
}
