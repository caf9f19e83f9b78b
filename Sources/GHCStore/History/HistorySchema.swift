/// The schema of `requests.db`, as numbered migrations: `PRAGMA user_version` says how many have run.
enum HistorySchema {
    /// The migrations in order; a database at version `n` has run the first `n`. Append, never edit.
    static let migrations: [[String]] = [
        [
            """
            CREATE TABLE requests (
                seq INTEGER PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                timestamp REAL NOT NULL,
                model TEXT NOT NULL,
                translated_model TEXT,
                endpoint TEXT NOT NULL,
                status_code INTEGER,
                state TEXT NOT NULL,
                stream INTEGER NOT NULL,
                duration REAL NOT NULL,
                time_to_first_byte REAL,
                input_tokens INTEGER NOT NULL,
                output_tokens INTEGER NOT NULL,
                cache_read_tokens INTEGER NOT NULL,
                cache_creation_tokens INTEGER NOT NULL,
                request_size INTEGER NOT NULL,
                response_size INTEGER NOT NULL,
                client_ip TEXT NOT NULL,
                client TEXT,
                key_name TEXT,
                user_id TEXT NOT NULL,
                error TEXT,
                headers TEXT NOT NULL,
                extra TEXT,
                original_request_body BLOB,
                request_body BLOB,
                response_body BLOB,
                stored_bytes INTEGER NOT NULL
            )
            """,
            "CREATE INDEX requests_by_time ON requests(timestamp)",
            "CREATE INDEX requests_by_model ON requests(model, timestamp)",
            "CREATE INDEX requests_by_status ON requests(status_code, timestamp)",
            """
            CREATE VIRTUAL TABLE requests_text USING fts5(
                model, endpoint, prompt, answer,
                content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2'
            )
            """,
            """
            CREATE TRIGGER requests_text_delete AFTER DELETE ON requests BEGIN
                DELETE FROM requests_text WHERE rowid = old.seq;
            END
            """,
        ],
        [
            // The record whose client body this one's is a delta of (`BodyBases`); pruning keeps it while it is named.
            "ALTER TABLE requests ADD COLUMN body_base TEXT",
            "CREATE INDEX requests_by_body_base ON requests(body_base) WHERE body_base IS NOT NULL",
        ],
    ]

    /// The version a fully migrated database has.
    static var currentVersion: Int { migrations.count }
}
