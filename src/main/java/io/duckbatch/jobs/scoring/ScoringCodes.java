package io.duckbatch.jobs.scoring;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import io.duckbatch.core.resume.RecordedInputs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * The codes companyScoring scores against: the codes file {@code duckbatch.scoring.codes}
 * names ({@link RticCodesFile}), or without one the source's {@code rtic_codes} table.
 * <p>
 * The restart contract: a new instance records the file with its run, as non-identifying job
 * parameters (its absolute path, the SHA-256 of its bytes, its number of codes), checked
 * before anything is written; the tasks score with the recorded file, and fail if its
 * content is no longer the recorded one. An execution is resumed ({@code run}, or
 * {@code restart <id>}) only with the codes file it recorded, unchanged: a file that
 * changed, or a setting naming another file (or one when the run read the source's table), is
 * refused with one line naming the file, the execution and how to start afresh
 * ({@code abandon <id>}, then {@code run companyScoring}). Without the setting, a resumed
 * execution reads the codes it recorded. A completed instance is never resumed, so a run after
 * it starts a new instance with whatever codes the settings name.
 * <p>
 * The threshold ({@code duckbatch.scoring.threshold}) is recorded alike, and a resume with
 * another is refused: its tasks would write rows cut at two thresholds, and an incremental
 * run would record code fingerprints of the one it planned with.
 */
class ScoringCodes implements RecordedInputs {

    static final String SETTING = "duckbatch.scoring.codes";

    /** Job parameters: the file's absolute path, the SHA-256 of its bytes, its number of codes. */
    static final String FILE = "scoring.codes";

    static final String SHA256 = "scoring.codes.sha256";

    static final String COUNT = "scoring.codes.count";

    /** Job parameter: the threshold the run scores with. */
    static final String THRESHOLD = "scoring.threshold";

    private static final String THRESHOLD_SETTING = "duckbatch.scoring.threshold";

    private static final Logger log = LoggerFactory.getLogger(ScoringCodes.class);

    private final ScoringSettings settings;

    ScoringCodes(ScoringSettings settings) {
        this.settings = settings;
    }

    @Override
    public String jobName() {
        return CompanyScoringJobConfiguration.JOB_NAME;
    }

    @Override
    public JobParameters record() {
        JobParametersBuilder recorded = new JobParametersBuilder().addDouble(THRESHOLD, this.settings.getThreshold(), false);
        if (this.settings.getCodes() == null) {
            return recorded.toJobParameters();
        }
        RticCodesFile file = RticCodesFile.read(this.settings.getCodes(), SETTING);
        log.info("Scoring against codes file {}: {} codes, sha256 {}", file.path(), file.codes().size(), file.sha256());
        return recorded.addString(FILE, file.path().toString(), false)
            .addString(SHA256, file.sha256(), false)
            .addLong(COUNT, (long) file.codes().size(), false)
            .toJobParameters();
    }

    @Override
    public void requireUnchanged(JobExecution execution) {
        requireSameThreshold(execution);
        JobParameters recorded = execution.getJobParameters();
        String then = recorded.getString(FILE);
        Path setting = this.settings.getCodes();
        String now = (setting != null) ? setting.toAbsolutePath().normalize().toString() : null;
        if (now != null && !now.equals(then)) {
            throw new IllegalStateException("Execution " + execution.getId() + " scored with "
                    + ((then != null) ? "codes file " + then : "the source's rtic_codes") + ", not " + now + " (" + SETTING
                    + "); resume it without that setting, or start afresh with " + now + ": " + afresh(execution, now));
        }
        if (then == null) {
            return;
        }
        String sha256 = RticCodesFile.sha256Of(Path.of(then));
        if (!recorded.getString(SHA256, "").equals(sha256)) {
            throw new IllegalStateException("Codes file " + then + ((sha256 != null) ? " changed since" : " is missing or"
                    + " unreadable since") + " execution " + execution.getId() + " started (it scored with "
                    + recorded.getLong(COUNT) + " codes, sha256 " + recorded.getString(SHA256)
                    + "). Restore the file to resume, or start afresh with the file as it is: " + afresh(execution, then));
        }
    }

    private void requireSameThreshold(JobExecution execution) {
        Double then = execution.getJobParameters().getDouble(THRESHOLD);
        double now = this.settings.getThreshold();
        if (then != null && then != now) {
            throw new IllegalStateException("Execution " + execution.getId() + " scored with threshold " + then + ", not "
                    + now + " (" + THRESHOLD_SETTING + "); resume it with --" + THRESHOLD_SETTING + "=" + then
                    + ", or start afresh with " + now + ": abandon " + execution.getId() + ", then run "
                    + execution.getJobInstance().getJobName() + " --" + THRESHOLD_SETTING + "=" + now
                    + " (with the same source and target)");
        }
    }

    private static String afresh(JobExecution execution, String codesFile) {
        return "abandon " + execution.getId() + ", then run " + execution.getJobInstance().getJobName() + " --" + SETTING
                + "=" + codesFile + " (with the same source and target)";
    }

    /** Whether the run scores with a codes file rather than the source's table. */
    static boolean fromFile(JobParameters run) {
        return run.getString(FILE) != null;
    }

    /**
     * The codes a task of the run scores with: its recorded codes file, still holding the
     * recorded content, or the source's {@code rtic_codes}.
     */
    static List<RticCode> of(JobParameters run, DataSource source) throws SQLException {
        if (!fromFile(run)) {
            return RticCodes.all(source);
        }
        RticCodesFile file = RticCodesFile.read(Path.of(run.getString(FILE)), SETTING);
        if (!file.sha256().equals(run.getString(SHA256))) {
            throw new IllegalStateException("Codes file " + file.path() + " changed while the job ran (it started with sha256 "
                    + run.getString(SHA256) + "): restore it, then run the same command to resume");
        }
        return file.codes();
    }

}
