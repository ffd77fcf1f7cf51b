package dev.tollgate.platform.store;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

import org.jboss.logging.Logger;

/**
 * Creates a service's indexes once the store answers, without stopping the service when it does not: tried at start,
 * then every {@code retryEvery} until it succeeds (readiness reports the store meanwhile), or built behind the start
 * when it needs a long scan first (a start that outlasted Kubernetes' startup probe would be killed and begin again).
 * {@code create} must be idempotent (MongoDB's {@code createIndex} is) and may run one-time data upgrades first.
 * One retry loop for every service, on its own virtual thread, so none needs the scheduler for it.
 */
public final class IndexBootstrap {

    private static final Logger LOG = Logger.getLogger(IndexBootstrap.class);

    private final String what;
    private final Runnable create;
    private final Duration retryEvery;
    /** Held while a build runs: a caller of {@link #ensure} waits for it; tests hold it to keep a build waiting. */
    private final ReentrantLock building = new ReentrantLock();
    private volatile boolean done;
    private volatile boolean stopped;
    private volatile Thread retrier;

    public IndexBootstrap(String what, Runnable create, Duration retryEvery) {
        this.what = what;
        this.create = create;
        this.retryEvery = retryEvery;
    }

    public IndexBootstrap(String what, Runnable create) {
        this(what, create, Duration.ofSeconds(10));
    }

    /** Builds now; if the store does not answer, keeps trying every {@code retryEvery} in the background. */
    public void start() {
        if (!ensure()) {
            retryInBackground(false);
        }
    }

    /** Builds behind the start: returns at once, the first attempt and any retries run on their own thread. */
    public void startInBackground() {
        retryInBackground(true);
    }

    /** Builds now unless done, waiting for a build under way; true once the indexes exist. */
    public boolean ensure() {
        building.lock();
        try {
            return attempt();
        } finally {
            building.unlock();
        }
    }

    public boolean done() {
        return done;
    }

    /** Forgets that the indexes exist, as a first start would, so that {@link #ensure} builds them again (tests). */
    public void forget() {
        building.lock();
        try {
            done = false;
        } finally {
            building.unlock();
        }
    }

    /** The lock a build holds (tests hold it to keep a background build from finishing). */
    public ReentrantLock building() {
        return building;
    }

    public void stop() {
        stopped = true;
        Thread thread = retrier;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private boolean attempt() {
        if (done) {
            return true;
        }
        try {
            create.run();
            done = true;
        } catch (RuntimeException e) {
            LOG.warnf("creating the %s indexes failed (%s); retrying in %d s", what, e.getMessage(),
                    retryEvery.toSeconds());
        }
        return done;
    }

    private synchronized void retryInBackground(boolean attemptFirst) {
        if (retrier != null && retrier.isAlive()) {
            return; // the loop under way builds them
        }
        retrier = Thread.ofVirtual().name(what + "-indexes").start(() -> {
            if (attemptFirst && ensure()) {
                return;
            }
            while (!done && !stopped) {
                try {
                    Thread.sleep(retryEvery);
                } catch (InterruptedException e) {
                    return;
                }
                ensure();
            }
        });
    }
}
