#ifndef PURSER_SQLITE_LOG_H
#define PURSER_SQLITE_LOG_H

/// Makes SQLite's default file system (VFS) one that writes each transaction's
/// write-ahead-log frames with one system call instead of two per frame (see
/// coalescing_log.c). Idempotent and thread-safe; returns an SQLite result code.
int purser_install_coalescing_log(void);

/// How many write calls the coalescing VFS has passed to the file system for write-ahead
/// logs, and how many frame writes SQLite made to them: for tests and benchmarks.
void purser_coalescing_log_counts(long long *systemWrites, long long *frameWrites);

/// The same counts for one open log, given the `sqlite3_file` SQLite uses for it (as
/// `SQLITE_FCNTL_JOURNAL_POINTER` returns it), and the bytes it holds unwritten; returns 0 if
/// the file is not a log this VFS buffers.
struct sqlite3_file;
int purser_coalescing_log_file_counts(
    struct sqlite3_file *file, long long *systemWrites, long long *frameWrites, int *pendingBytes);

#endif
