import { errorOutcome } from './graph-api';

describe('Cloud API error outcomes', () => {
  it('should retry throughput and pair-rate errors later, wait for the reply outside the window, give up on the rest', () => {
    expect(errorOutcome(130429, 400)).toEqual({ outcome: 'retry', retryAfterS: 2 });
    expect(errorOutcome(131056, 400)).toEqual({ outcome: 'retry', retryAfterS: 6 });
    expect(errorOutcome(131047, 400)).toEqual({ outcome: 'await_reply' });
    expect(errorOutcome(0, 0)).toEqual({ outcome: 'retry' }); // network
    expect(errorOutcome(1, 500)).toEqual({ outcome: 'retry' });
    expect(errorOutcome(131026, 400)).toEqual({ outcome: 'give_up' }); // undeliverable
    expect(errorOutcome(100, 400)).toEqual({ outcome: 'give_up' }); // invalid parameter: sending again changes nothing
  });
});
