package io.duckbatch.cli;

import io.duckbatch.jobs.JobCatalog;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.boot.ApplicationArguments;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportSelector;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;
import org.springframework.core.type.filter.TypeFilter;

/**
 * Imports the configurations of only the jobs the command line runs
 * ({@link DuckbatchCli#jobsToImport}): a job run does not create the readers, writers and
 * steps of the other jobs. The job configurations are therefore kept out of component
 * scanning ({@link NotScanned}); {@link JobCatalog} names them. A context not started by
 * {@code SpringApplication} (no command line) gets every job.
 */
public class JobImports implements ImportSelector, EnvironmentAware, BeanFactoryAware {

    private Environment environment;

    private BeanFactory beanFactory;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public String[] selectImports(AnnotationMetadata importingClassMetadata) {
        ApplicationArguments arguments = this.beanFactory.getBeanProvider(ApplicationArguments.class).getIfAvailable();
        return ((arguments != null) ? DuckbatchCli.jobsToImport(arguments.getSourceArgs(), this.environment) : JobCatalog.JOBS)
            .stream()
            .map(JobCatalog.Entry::configuration)
            .toArray(String[]::new);
    }

    /** Component scanning's exclude filter: the job configurations come only through {@link JobImports}. */
    public static class NotScanned implements TypeFilter {

        @Override
        public boolean match(MetadataReader metadataReader, MetadataReaderFactory metadataReaderFactory) {
            String type = metadataReader.getClassMetadata().getClassName();
            return JobCatalog.JOBS.stream().anyMatch(job -> job.configuration().equals(type));
        }

    }

}
