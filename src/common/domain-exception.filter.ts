import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ChannelSendError } from '@/messaging/channel.port';
import { ConsultationNotFoundError } from '@/consultations/consultations.service';

/**
 * The one place where typed errors become HTTP answers. Unknown errors: logged with stack, generic
 * answer. An HttpException of 500 or more thrown on purpose (a 503 while shutting down, so a webhook
 * sender delivers again) is a warning without a stack: an answer, not a fault.
 */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(DomainExceptionFilter.name);

  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const [status, message] = this.map(error);
    if (status >= 500 && error instanceof HttpException) this.logger.warn(`${status}: ${error.message}`);
    else if (status >= 500) this.logger.error((error as Error)?.message ?? String(error), (error as Error)?.stack);
    if (error instanceof HttpException) {
      res.status(status).json(typeof error.getResponse() === 'object' ? error.getResponse() : { statusCode: status, message });
      return;
    }
    res.status(status).json({ statusCode: status, message });
  }

  private map(error: unknown): [number, string] {
    if (error instanceof HttpException) return [error.getStatus(), error.message];
    if (error instanceof ConsultationNotFoundError) return [HttpStatus.NOT_FOUND, 'No such case'];
    if (error instanceof ChannelSendError) return [HttpStatus.BAD_GATEWAY, 'The messaging channel failed; try again'];
    return [HttpStatus.INTERNAL_SERVER_ERROR, 'Internal error'];
  }
}
