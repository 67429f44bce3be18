import { BadRequestException, Controller, HttpCode, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InferenceService } from './inference.service';
import type { InferenceResult } from './inference.types';

@ApiTags('diagnoses')
@Controller('api/v1/diagnoses')
export class DiagnosesController {
  constructor(private readonly inference: InferenceService) {}

  /** Runs the photo gates and the classifier on one uploaded image. Stores nothing. */
  @Post()
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('image'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { image: { type: 'string', format: 'binary' } }, required: ['image'] } })
  @ApiOkResponse({ description: 'The inference result: verdict, reasons, all seven classes sorted, risk, uncertainty.' })
  async diagnose(@UploadedFile() image?: Express.Multer.File): Promise<InferenceResult> {
    if (!image) throw new BadRequestException('Send the photo as multipart/form-data in the field "image".');
    return this.inference.diagnose(image.buffer);
  }
}
