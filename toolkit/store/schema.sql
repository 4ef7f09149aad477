CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    file_hash TEXT NOT NULL,       -- not unique: a refused file may be tried again after a fix
    original_name TEXT NOT NULL,
    archive_name TEXT NOT NULL,
    received_at TEXT NOT NULL,
    skema TEXT,
    aar INTEGER,
    respondent_id TEXT,
    respondent_navn TEXT,
    definition_version INTEGER,
    status TEXT NOT NULL,          -- gyldig | fejl | afvist
    current INTEGER NOT NULL DEFAULT 0,
    superseded_by INTEGER REFERENCES submissions(id),
    saved_at TEXT,                 -- when the respondent last saved the file (UTC, sortable); NULL: not known
    -- mail_id: the saved mail the file was attached to (mails); NULL: saved by hand
    mail_id INTEGER REFERENCES mails(id)
);
CREATE INDEX IF NOT EXISTS submissions_current ON submissions(aar, skema, respondent_id, current);
CREATE INDEX IF NOT EXISTS submissions_hash ON submissions(file_hash);

CREATE TABLE IF NOT EXISTS vals (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    felt TEXT NOT NULL,
    vtype TEXT,                    -- tal | dato | tekst | NULL (unreadable: only raw)
    vtext TEXT,
    vnum REAL,
    raw TEXT NOT NULL,
    ark TEXT NOT NULL,
    celle TEXT NOT NULL,
    -- the key's structured parts (toolkit.fieldkeys.KeyParts); felt stays the full text key
    skema TEXT, tilbud_id TEXT, nr TEXT, ydelse_id TEXT, kommune_id TEXT, linje TEXT, noegle TEXT, felt_aar INTEGER,
    PRIMARY KEY (submission_id, felt)
) WITHOUT ROWID;  -- one b-tree in key order (a rowid table needs a second one for the key)

CREATE TABLE IF NOT EXISTS issues (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER REFERENCES submissions(id),
    file TEXT, respondent TEXT, skema TEXT, sheet TEXT, cell TEXT, felt TEXT,
    code TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS corrections (
    id INTEGER PRIMARY KEY,
    aar INTEGER NOT NULL, skema TEXT NOT NULL, respondent_id TEXT NOT NULL, felt TEXT NOT NULL,
    vtype TEXT, vtext TEXT, vnum REAL, raw TEXT NOT NULL,
    reason TEXT NOT NULL, created_at TEXT NOT NULL,
    tilbud_id TEXT, nr TEXT, ydelse_id TEXT, kommune_id TEXT, linje TEXT, noegle TEXT, felt_aar INTEGER
);

-- the forms as they were sent out: a returned file identical to one of them is not an answer
CREATE TABLE IF NOT EXISTS sent_forms (
    file_hash TEXT PRIMARY KEY,
    skema TEXT NOT NULL,
    aar INTEGER NOT NULL,
    respondent_id TEXT NOT NULL,
    respondent_navn TEXT NOT NULL,
    file_name TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- saved mails that returns were read from (`skema indlaes post.eml`); the mail itself is archived
CREATE TABLE IF NOT EXISTS mails (
    id INTEGER PRIMARY KEY,
    file_hash TEXT NOT NULL UNIQUE,
    original_name TEXT NOT NULL,
    archive_name TEXT NOT NULL,
    sender TEXT NOT NULL,          -- the address of the mail that carried the attachment ('' if none)
    subject TEXT NOT NULL,
    sent_at TEXT,                  -- the mail's Date (ISO 8601 with zone); NULL: none readable
    received_at TEXT NOT NULL
);

-- mails sent by `skema udsend --send` and `skema rykker --mail --send`
CREATE TABLE IF NOT EXISTS sent_mails (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL,
    aar INTEGER NOT NULL,
    kind TEXT NOT NULL,            -- udsendelse | rykker
    recipient TEXT NOT NULL,       -- the address it was sent to
    forms TEXT NOT NULL,           -- the attached forms' file names, one a line, sorted
    subject TEXT NOT NULL,
    sent_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sent_mails_recipient ON sent_mails(aar, kind, recipient);
