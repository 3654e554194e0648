// A thin VFS over SQLite's default one that coalesces the write-ahead log's frame writes.
//
// Why: SQLite writes each log frame with two pwrite() calls (its 24-byte header, then the
// page), so a busy ledger made about 46 system calls per server run on the one thread that
// runs every commit, and those calls were most of the kernel's share of that thread. Here a
// transaction's frames are gathered in memory and written with one call when its commit
// frame is complete.
//
// Why it is safe: SQLite makes a commit visible to other connections only after writing all
// of its frames, by updating the shared wal-index; the commit frame (the only frame whose
// header's bytes 4-7, the database size, are non-zero: part of the documented file format)
// is the last one it writes before that. The bytes are handed to the kernel inside the xWrite
// of the commit frame's page, so no reader, in this process or another, can look for a frame
// that is not yet in the file, and a failed write fails the commit as before. Any write that
// does not follow the header-then-page pattern, and every read, sync, truncate, size query,
// file control and close, first writes what is pending, and so does the end of every write
// transaction (the release of the log's write lock, seen on the database file's shared-memory
// lock), so that frames a rolled-back transaction spilled are in the file before another
// writer can write there. Once a transaction's commit frame is written, the rest of what it
// writes (checksums SQLite rewrites when it overwrote one of its own frames) goes straight to
// the file. The file is exactly what SQLite wrote whenever anything else can observe it. Frames of a transaction that has not committed are no more durable here than
// before: a crash before the commit loses them either way.

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "PurserSQLiteLog.h"

enum {
    frameHeaderSize = 24,
    // A large transaction's frames are written once this many bytes are pending.
    flushThreshold = 256 * 1024,
    // The most bytes passed to the default VFS in one write.
    writeLimit = 64 * 1024,
};

typedef struct CoalescingFile {
    sqlite3_file base;
    sqlite3_file *real;  // the default VFS's file, allocated right after this struct
    unsigned char *pending;
    int pendingLength;
    int pendingCapacity;
    sqlite3_int64 pendingOffset;  // where pending[0] goes in the file
    int expectsPage;              // the last write was a frame header; its page comes next
    int inCommitFrame;            // and that header was a commit frame's
    int committed;                // the transaction's commit frame is written: the rest goes through
    long long systemWrites;       // write calls passed on for this log
    long long frames;             // frame headers SQLite wrote to it
    int buffers;                  // a log linked to its database file: its frames may be held
    const char *name;             // a database file: the name SQLite opened it with
    struct CoalescingFile *log;   // a database file: its connection's log, while open
    struct CoalescingFile *database;  // a log: its connection's database file
    struct CoalescingFile *nextOpen;  // the open database files, for linking logs to them
} CoalescingFile;

// WAL_WRITE_LOCK in SQLite's wal.c: the shared-memory lock a connection holds exclusively
// from the start of a write transaction to its end, committed or rolled back.
enum { walWriteLock = 0 };

static pthread_mutex_t registryLock = PTHREAD_MUTEX_INITIALIZER;
static CoalescingFile *openDatabases;

static sqlite3_vfs *realVFS;
static sqlite3_vfs coalescingVFS;
static long long systemWriteCount;
static long long frameWriteCount;

static void countSystemWrite(CoalescingFile *file) {
    file->systemWrites += 1;
    __atomic_fetch_add(&systemWriteCount, 1, __ATOMIC_RELAXED);
}

static sqlite3_file *real(sqlite3_file *file) { return ((CoalescingFile *)file)->real; }

static int writePending(CoalescingFile *file) {
    if (file->pendingLength == 0) return SQLITE_OK;
    int length = file->pendingLength;
    file->pendingLength = 0;
    file->expectsPage = 0;
    // In parts: the unix VFS writes at most 128 KiB - 1 bytes per call (it masks the length)
    // and reports a shorter write as a full disk.
    for (int done = 0; done < length;) {
        int part = length - done < writeLimit ? length - done : writeLimit;
        countSystemWrite(file);
        int code = file->real->pMethods->xWrite(file->real, file->pending + done, part, file->pendingOffset + done);
        if (code != SQLITE_OK) return code;
        done += part;
    }
    return SQLITE_OK;
}

static int keep(CoalescingFile *file, const void *bytes, int amount, sqlite3_int64 offset) {
    if (file->pendingLength == 0) file->pendingOffset = offset;
    int needed = file->pendingLength + amount;
    if (needed > file->pendingCapacity) {
        int capacity = file->pendingCapacity == 0 ? 64 * 1024 : file->pendingCapacity;
        while (capacity < needed) capacity *= 2;
        unsigned char *grown = realloc(file->pending, (size_t)capacity);
        if (grown == NULL) return 0;
        file->pending = grown;
        file->pendingCapacity = capacity;
    }
    memcpy(file->pending + file->pendingLength, bytes, (size_t)amount);
    file->pendingLength = needed;
    return 1;
}

static int writeThrough(CoalescingFile *file, const void *bytes, int amount, sqlite3_int64 offset) {
    int code = writePending(file);
    if (code != SQLITE_OK) return code;
    countSystemWrite(file);
    return file->real->pMethods->xWrite(file->real, bytes, amount, offset);
}

static int coalescingWrite(sqlite3_file *base, const void *bytes, int amount, sqlite3_int64 offset) {
    CoalescingFile *file = (CoalescingFile *)base;
    if (!file->buffers) return file->real->pMethods->xWrite(file->real, bytes, amount, offset);
    // After its commit frame, a transaction may still rewrite frame headers in place (SQLite
    // recomputes their checksums when it overwrote one of its own frames), just before it makes
    // the commit visible: nothing follows them to write them out, so until the write lock is
    // released every write goes to the file at once.
    if (file->committed) return writeThrough(file, bytes, amount, offset);
    if (file->pendingLength > 0 && offset != file->pendingOffset + file->pendingLength) {
        int code = writePending(file);
        if (code != SQLITE_OK) return code;
    }
    if (amount == frameHeaderSize) {
        const unsigned char *header = bytes;
        if (!keep(file, bytes, amount, offset)) return writeThrough(file, bytes, amount, offset);
        file->frames += 1;
        __atomic_fetch_add(&frameWriteCount, 1, __ATOMIC_RELAXED);
        file->expectsPage = 1;
        file->inCommitFrame = (header[4] | header[5] | header[6] | header[7]) != 0;
        return SQLITE_OK;
    }
    if (file->expectsPage && file->pendingLength > 0) {
        file->committed = file->inCommitFrame;
        if (!keep(file, bytes, amount, offset)) return writeThrough(file, bytes, amount, offset);
        file->expectsPage = 0;
        if (file->committed || file->pendingLength >= flushThreshold) return writePending(file);
        return SQLITE_OK;
    }
    return writeThrough(file, bytes, amount, offset);
}

static int coalescingClose(sqlite3_file *base) {
    CoalescingFile *file = (CoalescingFile *)base;
    int code = writePending(file);
    pthread_mutex_lock(&registryLock);
    if (file->database != NULL) file->database->log = NULL;
    if (file->log != NULL) file->log->database = NULL;
    for (CoalescingFile **link = &openDatabases; *link != NULL; link = &(*link)->nextOpen) {
        if (*link == file) {
            *link = file->nextOpen;
            break;
        }
    }
    pthread_mutex_unlock(&registryLock);
    int closed = file->real->pMethods->xClose(file->real);
    free(file->pending);
    file->pending = NULL;
    file->pendingCapacity = 0;
    return code != SQLITE_OK ? code : closed;
}

static int coalescingRead(sqlite3_file *base, void *bytes, int amount, sqlite3_int64 offset) {
    int code = writePending((CoalescingFile *)base);
    if (code != SQLITE_OK) return code;
    return real(base)->pMethods->xRead(real(base), bytes, amount, offset);
}

static int coalescingTruncate(sqlite3_file *base, sqlite3_int64 size) {
    int code = writePending((CoalescingFile *)base);
    if (code != SQLITE_OK) return code;
    return real(base)->pMethods->xTruncate(real(base), size);
}

static int coalescingSync(sqlite3_file *base, int flags) {
    int code = writePending((CoalescingFile *)base);
    if (code != SQLITE_OK) return code;
    return real(base)->pMethods->xSync(real(base), flags);
}

static int coalescingFileSize(sqlite3_file *base, sqlite3_int64 *size) {
    int code = writePending((CoalescingFile *)base);
    if (code != SQLITE_OK) return code;
    return real(base)->pMethods->xFileSize(real(base), size);
}

static int coalescingLock(sqlite3_file *base, int lock) { return real(base)->pMethods->xLock(real(base), lock); }

static int coalescingUnlock(sqlite3_file *base, int lock) {
    return real(base)->pMethods->xUnlock(real(base), lock);
}

static int coalescingCheckReservedLock(sqlite3_file *base, int *out) {
    return real(base)->pMethods->xCheckReservedLock(real(base), out);
}

static int coalescingFileControl(sqlite3_file *base, int op, void *argument) {
    int code = writePending((CoalescingFile *)base);
    if (code != SQLITE_OK) return code;
    if (op == SQLITE_FCNTL_VFSNAME) {
        int found = real(base)->pMethods->xFileControl(real(base), op, argument);
        if (found == SQLITE_OK && *(char **)argument != NULL) {
            *(char **)argument = sqlite3_mprintf("%s/%z", coalescingVFS.zName, *(char **)argument);
        }
        return found;
    }
    return real(base)->pMethods->xFileControl(real(base), op, argument);
}

static int coalescingSectorSize(sqlite3_file *base) { return real(base)->pMethods->xSectorSize(real(base)); }

static int coalescingDeviceCharacteristics(sqlite3_file *base) {
    return real(base)->pMethods->xDeviceCharacteristics(real(base));
}

static int coalescingShmMap(sqlite3_file *base, int region, int size, int extend, void volatile **out) {
    return real(base)->pMethods->xShmMap(real(base), region, size, extend, out);
}

static int coalescingShmLock(sqlite3_file *base, int offset, int count, int flags) {
    CoalescingFile *file = (CoalescingFile *)base;
    if ((flags & SQLITE_SHM_UNLOCK) && (flags & SQLITE_SHM_EXCLUSIVE) && offset <= walWriteLock &&
        walWriteLock < offset + count && file->log != NULL) {
        // A write transaction is ending. After a commit nothing is held (the commit frame wrote
        // it all); after a rollback, frames that SQLite spilled may be. They are written now,
        // while this connection still holds the write lock, as SQLite itself would have written
        // them: held longer, they would land over whatever the next writer commits there. They
        // belong to no transaction, so a failure to write them loses nothing.
        (void)writePending(file->log);
        file->log->committed = 0;
    }
    return real(base)->pMethods->xShmLock(real(base), offset, count, flags);
}

static void coalescingShmBarrier(sqlite3_file *base) { real(base)->pMethods->xShmBarrier(real(base)); }

static int coalescingShmUnmap(sqlite3_file *base, int delete) {
    return real(base)->pMethods->xShmUnmap(real(base), delete);
}

static int coalescingFetch(sqlite3_file *base, sqlite3_int64 offset, int amount, void **out) {
    int code = writePending((CoalescingFile *)base);
    if (code != SQLITE_OK) return code;
    return real(base)->pMethods->xFetch(real(base), offset, amount, out);
}

static int coalescingUnfetch(sqlite3_file *base, sqlite3_int64 offset, void *pointer) {
    return real(base)->pMethods->xUnfetch(real(base), offset, pointer);
}

// One table per version of the methods the default VFS's file offers, so SQLite never calls
// a method through this layer that the file underneath lacks.
#define COALESCING_METHODS(version)                                                                              \
    {                                                                                                            \
        version, coalescingClose, coalescingRead, coalescingWrite, coalescingTruncate, coalescingSync,           \
            coalescingFileSize, coalescingLock, coalescingUnlock, coalescingCheckReservedLock,                   \
            coalescingFileControl, coalescingSectorSize, coalescingDeviceCharacteristics, coalescingShmMap,      \
            coalescingShmLock, coalescingShmBarrier, coalescingShmUnmap, coalescingFetch, coalescingUnfetch      \
    }

static const sqlite3_io_methods methodsByVersion[] = {
    COALESCING_METHODS(1), COALESCING_METHODS(2), COALESCING_METHODS(3)};

static int coalescingOpen(sqlite3_vfs *vfs, const char *name, sqlite3_file *base, int flags, int *outFlags) {
    (void)vfs;
    CoalescingFile *file = (CoalescingFile *)base;
    memset(file, 0, sizeof(*file));
    file->real = (sqlite3_file *)&file[1];
    int code = realVFS->xOpen(realVFS, name, file->real, flags, outFlags);
    const sqlite3_io_methods *methods = file->real->pMethods;
    if (methods == NULL) {
        base->pMethods = NULL;
        return code;
    }
    int version = methods->iVersion < 1 ? 1 : (methods->iVersion > 3 ? 3 : methods->iVersion);
    base->pMethods = &methodsByVersion[version - 1];
    if (code != SQLITE_OK || name == NULL) return code;
    pthread_mutex_lock(&registryLock);
    if (flags & SQLITE_OPEN_MAIN_DB) {
        file->name = name;
        file->nextOpen = openDatabases;
        openDatabases = file;
    } else if (flags & SQLITE_OPEN_WAL) {
        // SQLite keeps a connection's database, journal and log names in one allocation, and
        // sqlite3_filename_database finds the database's within it: the very pointer that
        // connection opened its database file with. A log whose database file is not found
        // here is written through, unbuffered.
        const char *database = sqlite3_filename_database(name);
        for (CoalescingFile *open = openDatabases; open != NULL; open = open->nextOpen) {
            if (open->name == database) {
                open->log = file;
                file->database = open;
                file->buffers = 1;
                break;
            }
        }
    }
    pthread_mutex_unlock(&registryLock);
    return code;
}

static int coalescingDelete(sqlite3_vfs *vfs, const char *name, int sync) {
    (void)vfs;
    return realVFS->xDelete(realVFS, name, sync);
}

static int coalescingAccess(sqlite3_vfs *vfs, const char *name, int flags, int *out) {
    (void)vfs;
    return realVFS->xAccess(realVFS, name, flags, out);
}

static int coalescingFullPathname(sqlite3_vfs *vfs, const char *name, int size, char *out) {
    (void)vfs;
    return realVFS->xFullPathname(realVFS, name, size, out);
}

static void *coalescingDlOpen(sqlite3_vfs *vfs, const char *name) {
    (void)vfs;
    return realVFS->xDlOpen(realVFS, name);
}

static void coalescingDlError(sqlite3_vfs *vfs, int size, char *out) {
    (void)vfs;
    realVFS->xDlError(realVFS, size, out);
}

static void (*coalescingDlSym(sqlite3_vfs *vfs, void *handle, const char *symbol))(void) {
    (void)vfs;
    return realVFS->xDlSym(realVFS, handle, symbol);
}

static void coalescingDlClose(sqlite3_vfs *vfs, void *handle) {
    (void)vfs;
    realVFS->xDlClose(realVFS, handle);
}

static int coalescingRandomness(sqlite3_vfs *vfs, int size, char *out) {
    (void)vfs;
    return realVFS->xRandomness(realVFS, size, out);
}

static int coalescingSleep(sqlite3_vfs *vfs, int microseconds) {
    (void)vfs;
    return realVFS->xSleep(realVFS, microseconds);
}

static int coalescingCurrentTime(sqlite3_vfs *vfs, double *out) {
    (void)vfs;
    return realVFS->xCurrentTime(realVFS, out);
}

static int coalescingGetLastError(sqlite3_vfs *vfs, int size, char *out) {
    (void)vfs;
    return realVFS->xGetLastError ? realVFS->xGetLastError(realVFS, size, out) : 0;
}

static int coalescingCurrentTimeInt64(sqlite3_vfs *vfs, sqlite3_int64 *out) {
    (void)vfs;
    return realVFS->xCurrentTimeInt64(realVFS, out);
}

static int coalescingSetSystemCall(sqlite3_vfs *vfs, const char *name, sqlite3_syscall_ptr call) {
    (void)vfs;
    return realVFS->xSetSystemCall(realVFS, name, call);
}

static sqlite3_syscall_ptr coalescingGetSystemCall(sqlite3_vfs *vfs, const char *name) {
    (void)vfs;
    return realVFS->xGetSystemCall(realVFS, name);
}

static const char *coalescingNextSystemCall(sqlite3_vfs *vfs, const char *name) {
    (void)vfs;
    return realVFS->xNextSystemCall(realVFS, name);
}

static int installCode = SQLITE_OK;

// Run once per process (pthread_once): not under SQLite's own main mutex, which
// sqlite3_vfs_find and sqlite3_vfs_register take themselves.
static void install(void) {
    int code = SQLITE_OK;
    {
        sqlite3_vfs *found = sqlite3_vfs_find(NULL);
        // Only over a VFS with every method this layer forwards (the unix VFS has them all).
        if (found == NULL || found->iVersion < 3) {
            code = SQLITE_ERROR;
        } else {
            realVFS = found;
            coalescingVFS = (sqlite3_vfs){
                .iVersion = 3,
                .szOsFile = (int)sizeof(CoalescingFile) + found->szOsFile,
                .mxPathname = found->mxPathname,
                .zName = "purser-coalescing-log",
                .xOpen = coalescingOpen,
                .xDelete = coalescingDelete,
                .xAccess = coalescingAccess,
                .xFullPathname = coalescingFullPathname,
                .xDlOpen = coalescingDlOpen,
                .xDlError = coalescingDlError,
                .xDlSym = coalescingDlSym,
                .xDlClose = coalescingDlClose,
                .xRandomness = coalescingRandomness,
                .xSleep = coalescingSleep,
                .xCurrentTime = coalescingCurrentTime,
                .xGetLastError = coalescingGetLastError,
                .xCurrentTimeInt64 = coalescingCurrentTimeInt64,
                .xSetSystemCall = coalescingSetSystemCall,
                .xGetSystemCall = coalescingGetSystemCall,
                .xNextSystemCall = coalescingNextSystemCall,
            };
            code = sqlite3_vfs_register(&coalescingVFS, 1);
            if (code != SQLITE_OK) realVFS = NULL;
        }
    }
    installCode = code;
}

int purser_install_coalescing_log(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, install);
    return installCode;
}

int purser_coalescing_log_file_counts(
    sqlite3_file *base, long long *systemWrites, long long *frameWrites, int *pendingBytes) {
    if (base == NULL) return 0;
    const sqlite3_io_methods *methods = base->pMethods;
    if (methods != &methodsByVersion[0] && methods != &methodsByVersion[1] && methods != &methodsByVersion[2]) return 0;
    CoalescingFile *file = (CoalescingFile *)base;
    *systemWrites = file->systemWrites;
    *frameWrites = file->frames;
    *pendingBytes = file->pendingLength;
    return file->buffers;
}

void purser_coalescing_log_counts(long long *systemWrites, long long *frameWrites) {
    *systemWrites = __atomic_load_n(&systemWriteCount, __ATOMIC_RELAXED);
    *frameWrites = __atomic_load_n(&frameWriteCount, __ATOMIC_RELAXED);
}
