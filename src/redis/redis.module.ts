import { Global, Module } from '@nestjs/common';
import { ChatLock } from './chat-lock';
import { RedisService } from './redis.service';

/**
 * Redis and what lives in it or in memory: the connection and key prefix ({@link RedisService}) and
 * the per-chat lock. Infrastructure: imports no feature module. Global, listed right after the
 * configuration in AppModule, so it shuts down after everything that uses it.
 */
@Global()
@Module({
  providers: [
    RedisService,
    { provide: ChatLock, useFactory: (redis: RedisService) => ChatLock.fromRedis(redis), inject: [RedisService] },
  ],
  exports: [RedisService, ChatLock],
})
export class RedisModule {}
