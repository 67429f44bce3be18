import { loadConfig } from '@/config/app-config';
import { RedisService } from '@/redis/redis.service';
import { JobName } from './job.types';
import { JobsService } from './jobs.service';

describe(JobsService.name, () => {
  const redis = new RedisService(loadConfig({ DATA_DIR: '/tmp/dermlink-jobs-spec' }));

  describe('onApplicationBootstrap', () => {
    it('should fail the boot when a job has no handler', async () => {
      const jobs = new JobsService(redis, true);
      jobs.register(JobName.DeliverOutbox, () => Promise.resolve(), { concurrency: 1 });
      await expect(jobs.onApplicationBootstrap()).rejects.toThrow(
        `No handler registered for jobs: ${JobName.AnalysePhoto}, ${JobName.Classify}`,
      );
    });

    it('should start with only some handlers when the module is partial (specs of one feature)', async () => {
      const jobs = new JobsService(redis, false);
      jobs.register(JobName.DeliverOutbox, () => Promise.resolve(), { concurrency: 1 });
      await jobs.onApplicationBootstrap();
      await expect(jobs.enqueue(JobName.DeliverOutbox, { channel: 'telegram', chatId: '1' }, 'k')).resolves.toBeUndefined();
      await jobs.beforeApplicationShutdown();
    });
  });
});
