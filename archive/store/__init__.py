"""The SQLite file and every SQL statement of the archive, one module per resource. Functions take a
sqlite_utils.Database and return plain dicts. Writers expect to run inside the caller's write
transaction (archive/store/db.py `write_transaction`: the caller decides what is atomic), and every
change they make is written to `history` (rows.py). Nothing returns a witness's identifying fields
but `get_witness_identity`, so that the access rules have one door to guard.

    from archive import store
    store.get_testimony(db, "T-2021-0042")

The package re-exports each module's functions; `store.consent`, `store.accounts`, … hold the SQL
of their own feature and are imported by name."""
from archive.store.case_files import (  # noqa: F401
    add_to_case_file,
    case_file_references,
    case_file_shares,
    case_file_testimonies_after,
    case_files_after,
    case_files_named,
    get_case_file,
    insert_case_file,
    list_case_files,
    remove_from_case_file,
    rename_case_file,
    share_case_file,
    unshare_case_file,
)
from archive.store.codebook import code_counts, codebook_version, save_codebook  # noqa: F401
from archive.store.codes import (  # noqa: F401
    CODE_EDITABLE,
    codes_of,
    codes_without_abuse_type,
    delete_code,
    get_code,
    insert_code,
    insert_redaction,
    insert_settled_code,
    redactions_in,
    redactions_of,
    supersede_code,
    update_code,
)
from archive.store.double_coding import (  # noqa: F401
    assignments_by_testimony,
    assignments_of,
    coder_accounts,
    double_coded_ids,
    insert_assignment,
    mark_settled,
    mark_submitted,
    open_assignments,
)
from archive.store.exports import (  # noqa: F401
    expire_jobs,
    fail_running_jobs,
    finish_job,
    insert_export_record,
    insert_job,
    job_files,
    job_of,
    list_export_records,
    mark_downloaded,
)
from archive.store.rows import NotFound, bump_revision, now, record_history  # noqa: F401
from archive.store.suggestions import (  # noqa: F401
    delete_suggestion_dismissal,
    dismissed_suggestions,
    insert_suggestion_dismissal,
    suggestion_dismissals,
)
from archive.store.testimonies import (  # noqa: F401
    EDITABLE_FIELDS,
    INCIDENT_COLUMNS,
    add_incident_perpetrators,
    count_testimonies,
    export_rows,
    finish_import_batch,
    get_testimony,
    get_testimony_row,
    history_of,
    incident_perpetrators,
    insert_import_batch,
    insert_testimony,
    iter_index_records,
    next_reference,
    quasi_identifiers,
    reference_taken,
    reference_with_text,
    revisions,
    set_incident,
    statements,
    testimonies_by_reference,
    testimony_rows_by_reference,
    testimony_with_id,
    titles_of,
    update_testimony,
    undetected_languages,
    record_detected_language,
)
from archive.store.witnesses import get_witness_identity, reseal_identities  # noqa: F401
