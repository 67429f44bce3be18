import { Module } from '@nestjs/common';
import { PhotoStore } from './photo-store.service';

@Module({ providers: [PhotoStore], exports: [PhotoStore] })
export class PhotosModule {}
