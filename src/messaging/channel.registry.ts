import { Injectable } from '@nestjs/common';
import { ChannelName, MessagingChannel } from './channel.port';

/** The enabled channel adapters, looked up by name. Adapters register themselves at start. */
@Injectable()
export class ChannelRegistry {
  private readonly channels = new Map<ChannelName, MessagingChannel>();

  register(channel: MessagingChannel): void {
    this.channels.set(channel.name, channel);
  }

  get(name: ChannelName): MessagingChannel {
    const channel = this.channels.get(name);
    if (!channel) throw new Error(`Channel ${name} is not enabled`);
    return channel;
  }

  has(name: ChannelName): boolean {
    return this.channels.has(name);
  }

  names(): ChannelName[] {
    return [...this.channels.keys()];
  }
}
