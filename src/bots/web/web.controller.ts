import { randomBytes } from 'node:crypto';
import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import { Inbound } from '@/messaging/inbound';
import { WebChannel, WebMessage } from './web.channel';
import { TRY_PAGE_CSP, TRY_PAGE_HTML } from './try-page';

const SESSION = /^[a-f0-9]{32}$/;

/** The "try it" page: the real patient journey through the web channel, no Telegram needed. */
@ApiExcludeController()
@Controller()
export class WebController {
  constructor(
    private readonly web: WebChannel,
    private readonly inbound: Inbound,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', TRY_PAGE_CSP)
  page(): string {
    return TRY_PAGE_HTML;
  }

  @Post('try/sessions')
  @HttpCode(201)
  async start(): Promise<{ session: string }> {
    const session = await this.web.createSession();
    await this.inbound.handle({
      channel: 'web',
      kind: 'command',
      command: 'start',
      args: '',
      chatId: session,
      messageId: this.id(),
    });
    return { session };
  }

  @Get('try/sessions/:session/messages')
  async messages(@Param('session') session: string, @Query('after') after = '0'): Promise<{ messages: WebMessage[] }> {
    await this.check(session);
    return { messages: await this.web.messagesAfter(session, Number(after) || 0) };
  }

  @Post('try/sessions/:session/actions')
  @HttpCode(202)
  async action(@Param('session') session: string, @Body() body: { data?: unknown }): Promise<void> {
    await this.check(session);
    if (typeof body?.data !== 'string' || body.data.length > 64) throw new BadRequestException('data must be a short string');
    await this.inbound.handle({ channel: 'web', kind: 'action', data: body.data, chatId: session, messageId: this.id() });
  }

  @Post('try/sessions/:session/texts')
  @HttpCode(202)
  async text(@Param('session') session: string, @Body() body: { text?: unknown }): Promise<void> {
    await this.check(session);
    if (typeof body?.text !== 'string' || !body.text.trim()) throw new BadRequestException('text must be a non-empty string');
    const text = body.text.slice(0, 4096);
    const command = /^\/([a-z_]+)\s*(.*)$/i.exec(text);
    await this.inbound.handle(
      command
        ? {
            channel: 'web',
            kind: 'command',
            command: command[1].toLowerCase(),
            args: command[2],
            chatId: session,
            messageId: this.id(),
          }
        : { channel: 'web', kind: 'text', text, chatId: session, messageId: this.id() },
    );
  }

  @Post('try/sessions/:session/photos')
  @HttpCode(202)
  @UseInterceptors(FileInterceptor('image'))
  async photo(@Param('session') session: string, @UploadedFile() image?: Express.Multer.File): Promise<void> {
    await this.check(session);
    if (!image) throw new BadRequestException('Send the photo as multipart/form-data in the field "image".');
    const fileRef = this.web.holdFile(session, image.buffer);
    await this.inbound.handle({
      channel: 'web',
      kind: 'photo',
      fileRef,
      mimeType: image.mimetype,
      chatId: session,
      messageId: this.id(),
    });
  }

  private async check(session: string): Promise<void> {
    if (!SESSION.test(session) || !(await this.web.hasSession(session)))
      throw new NotFoundException('Unknown or expired session; reload the page.');
  }

  private id(): string {
    return randomBytes(8).toString('hex');
  }
}
