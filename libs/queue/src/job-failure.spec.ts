import { DeadlineExceededError, InstanceFailedError, InternalError, InvalidInputError, NotFoundError } from '@app/errors';
import { errorOfFailure, failureReason, splitFailureReason } from './job-failure';

describe('job failure reasons', () => {
  it('keep the error code in front of the message, and come back as the same kind of error', () => {
    const reason = failureReason(new InvalidInputError("instances[0]: input 'features' takes [4], got [3]", 'instances[0]'));
    expect(reason).toBe("INVALID_INPUT: instances[0]: input 'features' takes [4], got [3]");
    expect(splitFailureReason(reason)).toEqual({ code: 'INVALID_INPUT', message: "instances[0]: input 'features' takes [4], got [3]" });
    expect(errorOfFailure(reason)).toBeInstanceOf(InvalidInputError);
    expect(errorOfFailure(failureReason(new InstanceFailedError('crashed')))).toBeInstanceOf(InstanceFailedError);
    expect(errorOfFailure(failureReason(new DeadlineExceededError('late')))).toBeInstanceOf(DeadlineExceededError);
    expect(errorOfFailure('MODEL_NOT_FOUND: no iris')).toBeInstanceOf(NotFoundError);
  });

  it('treat anything else as ours (a bug), keeping the message for the logs', () => {
    expect(failureReason(new TypeError('x is undefined'))).toBe('INTERNAL: x is undefined');
    expect(errorOfFailure('job stalled more than allowable limit')).toBeInstanceOf(InternalError);
    expect(splitFailureReason(undefined)).toEqual({ code: 'INTERNAL', message: 'the job failed' });
  });
});
