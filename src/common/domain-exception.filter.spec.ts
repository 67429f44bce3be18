import { ArgumentsHost, Logger, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { ConsultationNotFoundError } from '@/consultations/consultations.service';
import { DomainExceptionFilter } from './domain-exception.filter';

function answer(error: unknown): { status: number; body: unknown } {
  const sent = { status: 0, body: undefined as unknown };
  const res = {
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
      return this;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  new DomainExceptionFilter().catch(error, host);
  return sent;
}

describe('DomainExceptionFilter', () => {
  let error: jest.SpyInstance;
  let warn: jest.SpyInstance;

  beforeEach(() => {
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('should map typed errors to their answers without logging them', () => {
    expect(answer(new ConsultationNotFoundError('C-1'))).toEqual({
      status: 404,
      body: { statusCode: 404, message: 'No such case' },
    });
    expect(answer(new NotFoundException('gone')).status).toBe(404);
    expect(error).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });

  it('should log an unknown error with its stack and answer generically', () => {
    expect(answer(new Error('disk on fire'))).toEqual({ status: 500, body: { statusCode: 500, message: 'Internal error' } });
    expect(error).toHaveBeenCalledWith('disk on fire', expect.stringContaining('disk on fire'));
  });

  it('should take a 503 thrown on purpose as a warning, not a fault', () => {
    expect(answer(new ServiceUnavailableException('Shutting down; try again')).status).toBe(503);
    expect(warn).toHaveBeenCalledWith('503: Shutting down; try again');
    expect(error).not.toHaveBeenCalled();
  });
});
