package dev.tollgate.localstack.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The store's write-ahead journal: each document a command inserts, changes or removes, appended to a file before
 * the command is answered, so the H2 file needs writing only now and then ({@link Checkpoints}) instead of once per
 * command. A record is the document's whole new state (or its removal), never the command, so replaying is
 * idempotent and needs no query evaluation.
 *
 * <p>Records are appended to a buffer inside the collection's own critical section (so records of one document are
 * in the order its changes happened) and written to the file by whichever answering command gets there first, one
 * {@code write} for every record buffered meanwhile (group commit, as a write to the operating system's cache, which
 * survives the process being killed; a power loss may lose the last moments, as before).
 *
 * <p>Files are {@code <store file>.journal.<n>}; a checkpoint starts file n+1 and records n+1 in the H2 file with
 * the data, and the files before it are deleted once that commit is in the file. Each record is
 * {@code [length][CRC-32C][payload]}, so a record torn by a kill mid-write (never answered) ends the replay.
 */
final class Journal implements AutoCloseable {

    static final byte PUT = 1;
    static final byte REMOVE = 2;

    /** One change as read back: the document's new state, or {@code {_id: ...}} of the removed one. */
    record Change(byte kind, String database, String collection, Document document) {
    }

    private final Path storeFile;
    private final Object appendLock = new Object();
    private final ReentrantLock writeLock = new ReentrantLock();
    // Records are appended to one buffer while the other is written (under writeLock, which alone touches spare).
    private RecordBuffer buffer = new RecordBuffer();
    private RecordBuffer spare = new RecordBuffer();
    private long appended; // bytes appended since the journal opened, across files
    private volatile long written;
    private long sequence;
    private FileChannel channel;
    private long fileBytes;
    private final LongAdder writes = new LongAdder();

    private Journal(Path storeFile, long sequence) {
        this.storeFile = storeFile;
        this.sequence = sequence;
        this.channel = openFile(sequence);
    }

    /** Starts journal file {@code sequence} (empty) beside {@code storeFile}. */
    static Journal start(Path storeFile, long sequence) {
        return new Journal(storeFile, sequence);
    }

    /** A document's new state, {@code bson} as the collection stored it (encoded once for both). */
    void put(String database, String collection, byte[] bson) {
        append(PUT, database, collection, ByteBuffer.wrap(bson));
    }

    void remove(String database, String collection, Object id) {
        append(REMOVE, database, collection, BsonTuples.encodeToScratch(new Document("_id", id)));
    }

    private void append(byte kind, String database, String collection, ByteBuffer bson) {
        byte[] databaseName = name(database);
        byte[] collectionName = name(collection);
        // [length][CRC-32C][kind, database and collection as DataOutputStream.writeUTF writes them, BSON length, BSON]
        int length = 1 + 2 + databaseName.length + 2 + collectionName.length + 4 + bson.remaining();
        ByteBuffer record = ByteBuffer.allocate(8 + length);
        record.position(8);
        record.put(kind).putShort((short) databaseName.length).put(databaseName)
                .putShort((short) collectionName.length).put(collectionName).putInt(bson.remaining()).put(bson);
        CRC32C crc = new CRC32C();
        crc.update(record.array(), 8, length);
        record.putInt(0, length).putInt(4, (int) crc.getValue());
        synchronized (appendLock) {
            buffer.write(record.array(), 0, record.capacity());
            appended += record.capacity();
        }
    }

    private static byte[] name(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("a database or collection name longer than 65,535 bytes: " + name);
        }
        return bytes;
    }

    /** How far records have been appended: {@link #writeThrough} that position to make them all durable. */
    long appendedPosition() {
        synchronized (appendLock) {
            return appended;
        }
    }

    /** Returns once every record appended before {@code position} is in the file. */
    void writeThrough(long position) {
        if (written >= position) {
            return;
        }
        writeLock.lock();
        try {
            if (written < position) {
                writeBuffered();
            }
        } finally {
            writeLock.unlock();
        }
    }

    private void writeBuffered() {
        RecordBuffer full;
        long upTo;
        synchronized (appendLock) {
            full = buffer;
            buffer = spare; // appends go on into the other buffer while this one is written
            upTo = appended;
        }
        try {
            ByteBuffer data = full.contents();
            while (data.hasRemaining()) {
                channel.write(data);
            }
            fileBytes += full.size();
        } catch (IOException e) {
            throw new UncheckedIOException("writing the store's journal failed", e);
        } finally {
            full.reset();
            spare = full;
        }
        writes.increment();
        written = upTo;
    }

    /** Bytes in the current file (what a replay would read). */
    long fileBytes() {
        return fileBytes + (appendedPosition() - written);
    }

    long sequence() {
        return sequence;
    }

    /** File writes so far: records per write is how much the grouping saves. */
    long writes() {
        return writes.sum();
    }

    /**
     * Writes what is buffered and continues in file {@code sequence + 1}. The caller holds every command off, so no
     * record of a command can be split between the two files.
     */
    void rotate() {
        writeLock.lock();
        try {
            writeBuffered();
            closeQuietly();
            sequence++;
            fileBytes = 0;
            channel = openFile(sequence);
        } finally {
            writeLock.unlock();
        }
    }

    /** Deletes the files before the current one: a checkpoint with the current sequence is in the H2 file. */
    void deleteEarlierFiles() {
        deleteFilesBefore(sequence);
    }

    /** Deletes the files before {@code first}: a checkpoint recording {@code first} is written to the H2 file. */
    void deleteFilesBefore(long first) {
        for (Path file : files(storeFile)) {
            if (sequenceOf(storeFile, file) < first) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            writeBuffered();
            closeQuietly();
        } finally {
            writeLock.unlock();
        }
    }

    /** The journal files beside {@code storeFile}, oldest first. */
    static List<Path> files(Path storeFile) {
        Path dir = storeFile.toAbsolutePath().getParent();
        String prefix = storeFile.getFileName() + ".journal.";
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .filter(p -> sequenceOf(storeFile, p) >= 0)
                    .sorted((a, b) -> Long.compare(sequenceOf(storeFile, a), sequenceOf(storeFile, b)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long sequenceOf(Path storeFile, Path journalFile) {
        String name = journalFile.getFileName().toString();
        String prefix = storeFile.getFileName() + ".journal.";
        try {
            return Long.parseLong(name.substring(prefix.length()));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return -1;
        }
    }

    /** The complete records of one file, in order; a torn or corrupt record ends it (it was never answered). */
    static List<Change> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        List<Change> changes = new ArrayList<>();
        while (in.remaining() >= 8) {
            int length = in.getInt();
            int expectedCrc = in.getInt();
            if (length <= 0 || length > in.remaining()) {
                break;
            }
            byte[] payload = new byte[length];
            in.get(payload);
            CRC32C crc = new CRC32C();
            crc.update(payload);
            if ((int) crc.getValue() != expectedCrc) {
                break;
            }
            changes.add(decode(payload));
        }
        return changes;
    }

    private static Change decode(byte[] payload) {
        ByteBuffer in = ByteBuffer.wrap(payload);
        byte kind = in.get();
        String database = readUtf(in);
        String collection = readUtf(in);
        int length = in.getInt();
        byte[] bson = new byte[length];
        in.get(bson);
        ByteBuf buf = Unpooled.wrappedBuffer(bson);
        try {
            return new Change(kind, database, collection, BsonDecoder.decodeBson(buf));
        } finally {
            buf.release();
        }
    }

    // DataOutputStream.writeUTF's format: an unsigned short length, then modified UTF-8 (plain UTF-8 for names).
    private static String readUtf(ByteBuffer in) {
        int length = Short.toUnsignedInt(in.getShort());
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private FileChannel openFile(long number) {
        Path file = storeFile.resolveSibling(storeFile.getFileName() + ".journal." + number);
        try {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void closeQuietly() {
        try {
            channel.close();
        } catch (IOException e) {
            // the data was written (or the write threw already); nothing else is lost by a failed close
        }
    }

    /** A byte buffer whose contents are written to the file as they lie, without the copy toByteArray makes. */
    private static final class RecordBuffer extends ByteArrayOutputStream {

        RecordBuffer() {
            super(64 << 10);
        }

        ByteBuffer contents() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }
}
