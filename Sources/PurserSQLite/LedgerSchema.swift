internal import GRDB

/// The tables of the Purser database, as numbered migrations: a file made by an older
/// version is brought up to date when it is opened, and a migration never changes once
/// released (a new one is added instead).
///
/// Money is stored as integer micro-units (`*_micros`), times as milliseconds since 1970 UTC
/// (`*_ms`), never as floating point.
enum LedgerSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: budgets, ledger, alerts, runs") { db in
            try db.execute(sql: budgets + ledger + alerts + runs)
        }
        migrator.registerMigration("v2: journal") { db in
            try db.execute(sql: journal)
        }
        migrator.registerMigration("v3: submissions") { db in
            try db.execute(sql: submissions)
        }
        migrator.registerMigration("v4: one row per run") { db in
            try db.execute(sql: oneRowPerRun)
        }
        return migrator
    }

    /// Runs the server accepted: the request as it came (so an interrupted run can be started
    /// again after a restart), its idempotency key (unique, so the same key never starts a
    /// second run, however many requests race), and the API's document of the run once it ends.
    /// `finished` is 0 until then; the partial index keeps finding the unfinished ones cheap.
    private static let submissions = """
        CREATE TABLE submission (
            id TEXT PRIMARY KEY,
            idempotency_key TEXT UNIQUE,
            workflow TEXT NOT NULL,
            request TEXT NOT NULL,
            finished INTEGER NOT NULL DEFAULT 0,
            document TEXT,
            submitted_at_ms INTEGER NOT NULL
        );
        CREATE INDEX submission_unfinished ON submission(submitted_at_ms) WHERE finished = 0;
        CREATE INDEX run_status ON run(status, seq);
        CREATE INDEX run_seq ON run(seq);
        """

    /// Runs in one table: what the engine saves of every run (columns to filter and total on,
    /// and the whole summary as JSON, to read back exactly) and, for a run the server accepted,
    /// its submission beside it (the request as it came, its idempotency key, when it came, and
    /// the API's document of the run once it ends). A CLI run has no submission: those columns
    /// are NULL, `finished` too; a submitted one has `finished` 0 until it ends, then 1.
    ///
    /// Why one row: v3 kept submissions in a table of their own, so a server's run wrote two
    /// rows when accepted and two when it ended, every one with its indexes, on the writer that
    /// every run waits for. `seq`, the order runs were first saved in (the cursor of a run
    /// listing), is the row id, so it needs no index of its own either. The partial indexes
    /// hold only what is looked up: idempotency keys that were given, runs not yet finished.
    ///
    /// The rows are copied in `seq` order and numbered again from 1 (cursors handed out before
    /// the upgrade do not survive it; a submission always has its run row, written in the same
    /// transaction, so the join loses none).
    private static let oneRowPerRun = """
        CREATE TABLE run_v4 (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            workflow TEXT NOT NULL,
            status TEXT NOT NULL,
            tags TEXT NOT NULL,
            started_at_ms INTEGER NOT NULL,
            ended_at_ms INTEGER,
            cost_micros INTEGER NOT NULL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            model_calls INTEGER NOT NULL,
            tool_calls INTEGER NOT NULL,
            summary TEXT NOT NULL,
            request TEXT,
            idempotency_key TEXT,
            submitted_at_ms INTEGER,
            finished INTEGER,
            document TEXT,
            CHECK ((request IS NULL) = (submitted_at_ms IS NULL)),
            CHECK ((request IS NULL) = (finished IS NULL)),
            CHECK (request IS NOT NULL OR (idempotency_key IS NULL AND document IS NULL))
        );
        INSERT INTO run_v4 (id, workflow, status, tags, started_at_ms, ended_at_ms, cost_micros, input_tokens,
            output_tokens, model_calls, tool_calls, summary, request, idempotency_key, submitted_at_ms, finished,
            document)
        SELECT r.id, r.workflow, r.status, r.tags, r.started_at_ms, r.ended_at_ms, r.cost_micros, r.input_tokens,
            r.output_tokens, r.model_calls, r.tool_calls, r.summary, s.request, s.idempotency_key, s.submitted_at_ms,
            s.finished, s.document
        FROM run r LEFT JOIN submission s ON s.id = r.id
        ORDER BY r.seq, r.rowid;
        DROP TABLE submission;
        DROP TABLE run;
        ALTER TABLE run_v4 RENAME TO run;
        CREATE UNIQUE INDEX run_idempotency_key ON run(idempotency_key) WHERE idempotency_key IS NOT NULL;
        CREATE INDEX run_unfinished ON run(submitted_at_ms) WHERE finished = 0;
        CREATE INDEX run_status ON run(status, seq);
        CREATE INDEX run_recent ON run(started_at_ms, seq);
        """

    /// Each finished step of a run with its output, so a run started again with the same id
    /// replays what finished instead of calling and charging it again, in any process.
    private static let journal = """
        CREATE TABLE journal (
            run_id TEXT NOT NULL,
            step_key TEXT NOT NULL,
            entry TEXT NOT NULL,
            recorded_at_ms INTEGER NOT NULL,
            PRIMARY KEY (run_id, step_key)
        ) WITHOUT ROWID;
        """

    /// Budgets finance set, one per (scope, period), and the audit log of every change.
    /// `meta.budget_version` counts changes, so a process knows when its cached budgets are stale.
    /// An old or new budget is absent from a change when its `*_policy` is NULL.
    private static let budgets = """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO meta (key, value) VALUES ('budget_version', 0);
        CREATE TABLE budget (
            name TEXT PRIMARY KEY,
            scope TEXT NOT NULL,
            period TEXT NOT NULL,
            limit_micros INTEGER,
            token_limit INTEGER,
            soft_percent INTEGER,
            policy TEXT NOT NULL,
            admission TEXT NOT NULL,
            updated_at_ms INTEGER NOT NULL
        );
        CREATE TABLE budget_change (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at_ms INTEGER NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('set', 'remove')),
            budget TEXT NOT NULL,
            scope TEXT NOT NULL,
            period TEXT NOT NULL,
            old_limit_micros INTEGER, old_token_limit INTEGER, old_soft_percent INTEGER,
            old_policy TEXT, old_admission TEXT,
            new_limit_micros INTEGER, new_token_limit INTEGER, new_soft_percent INTEGER,
            new_policy TEXT, new_admission TEXT,
            reason TEXT
        );

        """

    /// The append-only entries, the set of open reservations, and the balances derived from
    /// the entries (updated in the same transaction as the entry).
    ///
    /// A reservation *is* its reserve entry: the entry's id is the reservation's id, and it
    /// carries what was asked (run, workflow, step, tier, tags), which balances it holds money
    /// in (`holds`: budget name and period key pairs) and which process holds it. Settle and
    /// release entries name it in `reservation_id`. Triggers keep `open_reservation` exactly
    /// the reservations without a resolution: a reserve entry opens one, a settle or release
    /// entry can only be appended for an open one and closes it. So the schema itself makes a
    /// second resolution impossible, whatever the code does. Other triggers refuse any UPDATE
    /// or DELETE of an entry. Ids are rowids, never reused since no entry is ever deleted.
    ///
    /// The layout is lean on purpose: each page a transaction touches is one more page written
    /// to the log at COMMIT, the main cost of a reservation; a reserve or a settle touches three
    /// (the entry, the open set, the balance).
    private static let ledger = """
        CREATE TABLE entry (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('reserve', 'settle', 'release', 'adjust')),
            reservation_id INTEGER REFERENCES entry(id),
            amount_micros INTEGER NOT NULL,
            tokens INTEGER NOT NULL,
            at_ms INTEGER NOT NULL,
            day TEXT NOT NULL,
            run_id TEXT,
            workflow TEXT,
            step_key TEXT,
            tier_id TEXT,
            tags TEXT,
            holds TEXT,
            pid INTEGER,
            process_start INTEGER,
            boot_id TEXT,
            input_tokens INTEGER,
            output_tokens INTEGER,
            reasoning_tokens INTEGER,
            cached_tokens INTEGER,
            flag TEXT,
            budget TEXT,
            period_key TEXT,
            actor TEXT,
            reason TEXT,
            CHECK ((kind IN ('settle', 'release')) = (reservation_id IS NOT NULL)),
            CHECK ((kind = 'reserve') = (holds IS NOT NULL AND run_id IS NOT NULL)),
            CHECK ((kind = 'adjust') = (budget IS NOT NULL AND period_key IS NOT NULL)),
            CHECK (kind = 'adjust' OR (amount_micros >= 0 AND tokens >= 0))
        );
        CREATE TABLE open_reservation (id INTEGER PRIMARY KEY REFERENCES entry(id));
        CREATE TRIGGER entry_opens_its_reservation AFTER INSERT ON entry
            WHEN NEW.kind = 'reserve'
            BEGIN INSERT INTO open_reservation (id) VALUES (NEW.id); END;
        CREATE TRIGGER entry_resolves_an_open_reservation BEFORE INSERT ON entry
            WHEN NEW.kind IN ('settle', 'release')
                AND NOT EXISTS (SELECT 1 FROM open_reservation WHERE id = NEW.reservation_id)
            BEGIN SELECT RAISE(ABORT, 'the reservation is not open'); END;
        CREATE TRIGGER entry_closes_its_reservation AFTER INSERT ON entry
            WHEN NEW.kind IN ('settle', 'release')
            BEGIN DELETE FROM open_reservation WHERE id = NEW.reservation_id; END;
        CREATE TRIGGER entry_no_update BEFORE UPDATE ON entry
            BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
        CREATE TRIGGER entry_no_delete BEFORE DELETE ON entry
            BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
        CREATE TABLE balance (
            budget TEXT NOT NULL,
            period_key TEXT NOT NULL,
            spent_micros INTEGER NOT NULL DEFAULT 0,
            reserved_micros INTEGER NOT NULL DEFAULT 0,
            spent_tokens INTEGER NOT NULL DEFAULT 0,
            reserved_tokens INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (budget, period_key)
        ) WITHOUT ROWID;

        """

    /// Soft thresholds crossed and hard caps hit, for listing later.
    private static let alerts = """
        CREATE TABLE alert (
            id INTEGER PRIMARY KEY,
            at_ms INTEGER NOT NULL,
            kind TEXT NOT NULL,
            budget TEXT NOT NULL,
            period_key TEXT NOT NULL,
            spent_micros INTEGER NOT NULL,
            limit_micros INTEGER,
            message TEXT NOT NULL
        );
        CREATE INDEX alert_time ON alert(at_ms);

        """

    /// Runs as the engine saves them: columns to filter and total on, and the whole summary as
    /// JSON so it reads back exactly. (Replaced by v4's table.)
    private static let runs = """
        CREATE TABLE run (
            id TEXT PRIMARY KEY,
            workflow TEXT NOT NULL,
            status TEXT NOT NULL,
            tags TEXT NOT NULL,
            started_at_ms INTEGER NOT NULL,
            ended_at_ms INTEGER,
            cost_micros INTEGER NOT NULL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            model_calls INTEGER NOT NULL,
            tool_calls INTEGER NOT NULL,
            summary TEXT NOT NULL,
            seq INTEGER NOT NULL
        );
        CREATE INDEX run_recent ON run(started_at_ms, seq);
        """
}
