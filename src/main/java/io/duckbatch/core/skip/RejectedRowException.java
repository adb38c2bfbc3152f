package io.duckbatch.core.skip;

/**
 * What a row's own failure is wrapped in on its way to Spring Batch's skip policy: the only
 * exception {@link DeadLetters} lets the policy skip, so that a failing reader, a lost
 * connection or a full disk still fails the step as before.
 */
final class RejectedRowException extends RuntimeException {

    RejectedRowException(Throwable cause) {
        super(cause.getMessage(), cause);
    }

}
