import { Global, Module } from '@nestjs/common';
import { ChannelRegistry } from './channel.registry';
import { Inbound } from './inbound';

/**
 * The vocabulary shared by the channel adapters (src/bots/) and the domain: message types and the
 * channel port (channel.port.ts), the doctors' group port, the registry of enabled adapters (picked
 * by name to send) and the inbound side (where adapters deliver and the domain receives). Imports
 * nothing of the project; everything that talks to patients or doctors sits above it.
 */
@Global()
@Module({ providers: [ChannelRegistry, Inbound], exports: [ChannelRegistry, Inbound] })
export class MessagingModule {}
