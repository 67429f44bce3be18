import { Global, Module } from '@nestjs/common';
import { ChannelRegistry } from './channel.registry';

/** Holds the registry of enabled channel adapters, shared by every module that sends to patients. */
@Global()
@Module({ providers: [ChannelRegistry], exports: [ChannelRegistry] })
export class ChannelsModule {}
