package io.duckbatch.core.step;

import io.duckbatch.core.timing.SimplerTimer;

import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * What a component factory of a {@link StepRecipes} step is given, once per step execution
 * (per task, on its thread): the execution, whose ExecutionContext holds a partition's
 * parameters and restart state, and the timer every component of this execution reports
 * its phases to (rule 12).
 */
public record StepRun(StepExecution execution, SimplerTimer timer) {

    public ExecutionContext executionContext() {
        return this.execution.getExecutionContext();
    }

}
