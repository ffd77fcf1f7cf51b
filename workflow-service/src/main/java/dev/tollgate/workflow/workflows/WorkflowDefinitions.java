package dev.tollgate.workflow.workflows;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tollgate.workflow.config.WorkflowConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.types.ObjectId;

/**
 * Workflow definitions as triggers and workers use them: read from the store at most once per
 * {@code tollgate.workflow.definitions.cache-ttl} per workflow and process, instead of on every trigger and run.
 * The admin API of this process drops its entry when it saves a workflow, so a change applies here at once; other
 * replicas use their copy until it expires. Unknown ids are not remembered (a workflow created on another replica
 * must not stay a 404). The definitions handed out are shared: callers read them and never change them.
 */
@ApplicationScoped
public class WorkflowDefinitions {

    /** Definitions kept per process; a cache miss costs one read by {@code _id}. */
    static final int MAX_ENTRIES = 10_000;

    private final WorkflowRepository workflows;
    private final Cache<ObjectId, Workflow> recent;

    public WorkflowDefinitions(WorkflowRepository workflows, WorkflowConfig config) {
        this.workflows = workflows;
        Duration ttl = config.definitions().cacheTtl();
        this.recent = ttl.isZero() || ttl.isNegative() ? null
                : Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(MAX_ENTRIES).build();
    }

    /** The workflow, or null if there is none with this id. */
    public Workflow find(ObjectId id) {
        if (recent == null) {
            return workflows.findById(id);
        }
        Workflow cached = recent.getIfPresent(id);
        if (cached != null) {
            return cached;
        }
        Workflow read = workflows.findById(id);
        if (read != null) {
            recent.put(id, read);
        }
        return read;
    }

    /** This process saved a new definition of {@code id}: the next use reads it. */
    public void changed(ObjectId id) {
        if (recent != null) {
            recent.invalidate(id);
        }
    }
}
