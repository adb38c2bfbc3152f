package io.duckbatch.core.remote;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

import io.duckbatch.core.resume.RepositoryTables;

import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.integration.jdbc.store.JdbcChannelMessageStore;
import org.springframework.integration.jdbc.store.channel.PostgresChannelMessageStoreQueryProvider;
import org.springframework.integration.store.MessageGroupQueue;
import org.springframework.messaging.Message;
import org.springframework.messaging.PollableChannel;
import org.springframework.messaging.support.MessageBuilder;

/**
 * The queue of partition requests between a remote-partitioning manager and its workers: a
 * Spring Integration {@link QueueChannel} kept in the PostgreSQL job repository
 * ({@link JdbcChannelMessageStore}, table {@code INT_CHANNEL_MESSAGE}, created when missing),
 * so nothing but the repository is shared: no broker. The manager sends one
 * {@code StepExecutionRequest} per partition; a worker slot takes one when it is free
 * ({@code SELECT ... FOR UPDATE SKIP LOCKED}, then deleted), so a request waits in the table
 * until some worker has room, and a request taken by a process killed before it deleted it is
 * taken again; one taken by a process that died after deleting it but before claiming its
 * partition is sent again by the manager ({@link RemotePartitionHandler}). Delivery is
 * therefore at least once: {@link PartitionWorker} runs a request's partition only after
 * claiming it. Why polled and not PostgreSQL's LISTEN/NOTIFY, and what
 * it costs: docs/decisions.md, "Scale out".
 */
public final class PartitionRequests {

    /** The message group of the requests, in the store's default region. */
    static final String GROUP = "duckbatch-partition-requests";

    private static final String[] DDL = {
            "CREATE SEQUENCE IF NOT EXISTS INT_MESSAGE_SEQ START WITH 1 INCREMENT BY 1 NO CYCLE",
            """
            CREATE TABLE IF NOT EXISTS INT_CHANNEL_MESSAGE (
              MESSAGE_ID CHAR(36) NOT NULL,
              GROUP_KEY CHAR(36) NOT NULL,
              CREATED_DATE BIGINT NOT NULL,
              MESSAGE_PRIORITY BIGINT,
              MESSAGE_SEQUENCE BIGINT NOT NULL DEFAULT nextval('INT_MESSAGE_SEQ'),
              MESSAGE_CONTENT BYTEA,
              REGION VARCHAR(100) NOT NULL,
              constraint INT_CHANNEL_MESSAGE_PK primary key (REGION, GROUP_KEY, CREATED_DATE, MESSAGE_SEQUENCE))""",
            "CREATE INDEX IF NOT EXISTS INT_CHANNEL_MSG_DELETE_IDX ON INT_CHANNEL_MESSAGE (REGION, GROUP_KEY, MESSAGE_ID)" };

    private final DataSource jobRepository;

    private final QueueChannel channel;

    private PartitionRequests(DataSource jobRepository, QueueChannel channel) {
        this.jobRepository = jobRepository;
        this.channel = channel;
    }

    /**
     * The requests kept in {@code jobRepository}, which must be PostgreSQL: workers on other
     * hosts reach it, and its query provider's row locks keep two workers from taking one
     * request. Creates the table (the DDL of spring-integration-jdbc's schema-postgresql.sql
     * for the channel message store) when missing.
     */
    public static PartitionRequests in(DataSource jobRepository) {
        requirePostgres(jobRepository);
        createTableIfMissing(jobRepository);
        JdbcChannelMessageStore store = new JdbcChannelMessageStore(jobRepository);
        store.setChannelMessageStoreQueryProvider(new PostgresChannelMessageStoreQueryProvider());
        // A request is a StepExecutionRequest in a GenericMessage; nothing else is deserialized.
        store.addAllowedPatterns("org.springframework.batch.integration.partition.StepExecutionRequest",
                "org.springframework.messaging.support.GenericMessage", "org.springframework.messaging.MessageHeaders",
                "java.util.HashMap", "java.util.UUID", "java.lang.*");
        store.afterPropertiesSet();
        QueueChannel channel = new QueueChannel(new MessageGroupQueue(store, GROUP));
        channel.setBeanName(GROUP);
        return new PartitionRequests(jobRepository, channel);
    }

    /** The channel: the manager sends to it, worker slots receive from it. */
    public PollableChannel channel() {
        return this.channel;
    }

    /** Sends a request to run partition {@code stepExecutionId} as {@code workerStep}; returns its id in the queue. */
    public UUID send(String workerStep, long stepExecutionId) {
        Message<StepExecutionRequest> request = MessageBuilder.withPayload(new StepExecutionRequest(workerStep, stepExecutionId))
            .build();
        this.channel.send(request);
        return request.getHeaders().getId();
    }

    /**
     * Whether a request still waits in the queue: no worker slot has taken it yet. A request
     * a slot took leaves the queue before the slot claims its partition.
     */
    public boolean isQueued(UUID request) {
        try (Connection connection = this.jobRepository.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM INT_CHANNEL_MESSAGE WHERE"
                        + " MESSAGE_ID = ?")) {
            statement.setString(1, request.toString());
            try (ResultSet count = statement.executeQuery()) {
                count.next();
                return count.getLong(1) > 0;
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot look for partition request " + request + " in INT_CHANNEL_MESSAGE of the"
                    + " job repository: " + ex.getMessage(), ex);
        }
    }

    private static void requirePostgres(DataSource jobRepository) {
        String product;
        try (Connection connection = jobRepository.getConnection()) {
            product = connection.getMetaData().getDatabaseProductName();
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot reach the job repository: " + ex.getMessage(), ex);
        }
        if (!"PostgreSQL".equals(product)) {
            throw new IllegalStateException("Distributed runs (duckbatch.distributed, the worker command) need the PostgreSQL"
                    + " job repository that every process shares, not " + product + ": run with --spring.profiles.active=postgres"
                    + " --spring.datasource.url=jdbc:postgresql://<host>:<port>/<database> (see README, \"Several machines\")");
        }
    }

    private static void createTableIfMissing(DataSource jobRepository) {
        try (Connection connection = jobRepository.getConnection();
                ResultSet tables = connection.getMetaData().getTables(null, null, "int_channel_message", null)) {
            if (tables.next()) {
                return;
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot look for the partition request table INT_CHANNEL_MESSAGE in the job"
                    + " repository: " + ex.getMessage(), ex);
        }
        RepositoryTables.createIfMissing(jobRepository, "the partition request table INT_CHANNEL_MESSAGE in the job repository",
                DDL);
    }

}
