package io.duckbatch.core.skip;

import org.springframework.batch.core.step.skip.SkipException;

/**
 * A step rejected more rows than {@code duckbatch.skip-limit}: the step fails. Its cause is
 * the failure of the row that went over the limit, never a {@link RejectedRowException}, so
 * Spring Batch's skip policy refuses to skip it (and, in 6.0.6, fails the step with it; see
 * spring-batch#5079).
 */
public final class TooManyRejectsException extends SkipException {

    TooManyRejectsException(String message, Throwable rowFailure) {
        super(message, rowFailure);
    }

}
