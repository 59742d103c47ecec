/*
 * casecheck.h: the C ABI between a host and the casecheck plugin.
 *
 * This header is the whole contract. A host loads the plugin (libcasecheck.so)
 * at run time, looks up the one exported symbol, casecheck_get_api, and calls
 * everything else through the returned function table. Nothing of the
 * implementation is visible here, and nothing else is exported.
 *
 * Conventions that hold for every function below:
 *
 *  - Strings are UTF-8 and travel as (pointer, length). The plugin never relies
 *    on a terminating NUL in input. Buffers it returns are NUL-terminated for
 *    convenience, and the length it reports excludes that NUL.
 *  - Every buffer the plugin returns is owned by the caller from then on and is
 *    released with api->free_buffer(). Never free it with the host's own
 *    free/delete: the two sides may use different C runtimes.
 *  - Every function returns a casecheck_status (int32_t). Where a function has
 *    an output buffer, a failed call puts a plain-text message in it instead of
 *    a result. The message says which field path, limit, line or column is at
 *    fault. It never quotes the client's data.
 *  - No C++ exception, abort or exit crosses this boundary.
 *  - Thread tags, as in CLAP:
 *      [thread-safe]   may be called from any thread, concurrently.
 *      [engine-owner]  must not run concurrently with any other call that uses
 *                      the same engine (only engine_destroy carries it).
 *      [audit-owner]   must not run concurrently with any other call that uses
 *                      the same audit object.
 *
 * Versioning: casecheck_api only ever grows by appending fields. A host built
 * against minor N runs with a plugin of any minor >= N. A host that wants a
 * field added after 1.0 checks CASECHECK_API_HAS(api, field) first.
 * 1.0: version, status_name, engine_create, engine_destroy, check, free_buffer.
 * 1.1: to_fhir; check also accepts FHIR R4 (JSON, NDJSON, XML).
 * 1.2: audit_begin, audit_add, audit_merge, audit_merge_state, audit_finish,
 *      audit_destroy.
 */
#ifndef CASECHECK_CASECHECK_H
#define CASECHECK_CASECHECK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Portability ------------------------------------------------------- */

/* Pins the calling convention so hosts in other languages can bind reliably. */
#if defined(_WIN32) && !defined(_WIN64)
#define CASECHECK_CALL __cdecl
#else
#define CASECHECK_CALL
#endif

/* Marks the single exported symbol; everything else in the plugin is hidden. */
#if defined(_WIN32)
#define CASECHECK_EXPORT __declspec(dllexport)
#elif defined(__GNUC__)
#define CASECHECK_EXPORT __attribute__((visibility("default")))
#else
#define CASECHECK_EXPORT
#endif

/* ---- Versions ---------------------------------------------------------- */

/* The ABI major this header describes; a new major may change anything. */
#define CASECHECK_ABI_MAJOR 1u
/* The ABI minor this header describes; a new minor only appends to casecheck_api. */
#define CASECHECK_ABI_MINOR 2u

/* The name of the one exported symbol, for dlsym/GetProcAddress. */
#define CASECHECK_ENTRY_SYMBOL "casecheck_get_api"

/* ---- Status codes ------------------------------------------------------ */

/* Result of every call. Fixed width on the wire; never a C enum. */
typedef int32_t casecheck_status;

/* Success. */
#define CASECHECK_OK ((casecheck_status)0)
/* A NULL pointer where one is required, or an argument out of range. */
#define CASECHECK_E_INVALID_ARGUMENT ((casecheck_status)1)
/* The input is not well-formed JSON; the message gives line and column. */
#define CASECHECK_E_PARSE ((casecheck_status)2)
/* Well-formed, but not the documented shape (a required field is missing, or a
 * field has the wrong type or format); the message gives the field path. */
#define CASECHECK_E_SCHEMA ((casecheck_status)3)
/* The input exceeds a configured limit (size or nesting depth); the message
 * names the limit and its value. */
#define CASECHECK_E_LIMIT ((casecheck_status)4)
/* engine_create rejected the configuration (unknown key, bad value); the
 * message gives the path inside the configuration. */
#define CASECHECK_E_CONFIG ((casecheck_status)5)
/* The requested ABI, schema or feature version is not served by this plugin. */
#define CASECHECK_E_VERSION ((casecheck_status)6)
/* A bug in the plugin. The call had no effect; please report it. */
#define CASECHECK_E_INTERNAL ((casecheck_status)7)
/* Memory ran out. No output buffer is returned. */
#define CASECHECK_E_OUT_OF_MEMORY ((casecheck_status)8)
/* The input is not valid UTF-8; the message gives the byte offset, line and column. */
#define CASECHECK_E_ENCODING ((casecheck_status)9)

/* ---- Types ------------------------------------------------------------- */

/* An audit in progress (minor 2): counts over many cases, mergeable with other
 * audits of the same configuration. Unlike an engine it is mutable, so it is
 * used by one thread at a time; it borrows its engine, which must outlive it. */
typedef struct casecheck_audit casecheck_audit;

/* An engine: a configuration (rule pack, limits, clock) compiled once. It is
 * immutable after creation and may be shared by any number of threads. */
typedef struct casecheck_engine casecheck_engine;

/* The plugin's function table. Static and constant; valid until the plugin is
 * unloaded. Fields are only ever appended (see the note at the end). */
typedef struct casecheck_api {
    /* sizeof(casecheck_api) as the plugin was built; bounds the fields a host
     * may read (see CASECHECK_API_HAS). */
    uint32_t struct_size;
    /* Equals the major the host asked for. */
    uint32_t abi_major;
    /* The plugin's minor; the fields of every minor up to this one are present. */
    uint32_t abi_minor;
    /* Zero; keeps the function pointers 8-byte aligned on every platform. */
    uint32_t reserved;

    /* Describes the plugin as a NUL-terminated JSON object: {"name", "version",
     * "build", "abi": {"major", "minor"}, "criteria": [...], "rule_packs": [...]}.
     * [thread-safe] The string is owned by the plugin and stays valid until the
     * plugin is unloaded; do not free it. Never fails; never NULL. */
    const char* (CASECHECK_CALL* version)(void);

    /* Returns a static NUL-terminated name for a status ("OK", "E_PARSE", ...),
     * or "E_UNKNOWN" for a value this plugin does not define.
     * [thread-safe] Owned by the plugin; valid until unload. Never NULL. */
    const char* (CASECHECK_CALL* status_name)(casecheck_status status);

    /* Creates an engine from a JSON configuration (config.schema.json). An
     * empty configuration (config_len == 0) selects every default.
     * [thread-safe] Engines are independent of each other.
     * Ownership: config is borrowed for the call. On success *out_engine
     * receives a new engine, released with engine_destroy. On failure
     * *out_engine is set to NULL and, when out_error is not NULL, *out_error
     * receives a message buffer (free with free_buffer) and *out_error_len its
     * length; out_error and out_error_len must both be NULL or both non-NULL.
     * Statuses: OK; E_INVALID_ARGUMENT (out_engine NULL, or config NULL with a
     * non-zero length); E_ENCODING; E_LIMIT; E_PARSE; E_CONFIG (unknown key or
     * bad value, with its path); E_OUT_OF_MEMORY; E_INTERNAL. */
    casecheck_status (CASECHECK_CALL* engine_create)(const char* config_json, size_t config_len,
                                                     casecheck_engine** out_engine, char** out_error,
                                                     size_t* out_error_len);

    /* Destroys an engine. NULL is accepted and ignored.
     * [engine-owner] No other call may be using this engine, and none may
     * start after. Buffers the engine returned stay valid (free them with
     * free_buffer as usual). After the last engine is destroyed and every
     * buffer freed, the host may unload the plugin. */
    void (CASECHECK_CALL* engine_destroy)(casecheck_engine* engine);

    /* Checks a request document (record.schema.json) against the engine's
     * criteria and returns the response document (prompt.schema.json). Since
     * 1.1 the request may also be FHIR R4: a resource or Bundle (JSON or XML),
     * or NDJSON, read as one client's case in which every record is checked.
     * [thread-safe] Any number of threads may call check on one engine at once.
     * Ownership: request is borrowed for the call. On OK, *out receives the
     * response and *out_len its length. On any other status except
     * E_INVALID_ARGUMENT and E_OUT_OF_MEMORY, *out receives a plain-text
     * message instead. Either way free *out with free_buffer. When no buffer
     * is returned *out is NULL and *out_len is 0.
     * Statuses: OK (prompts or none); E_INVALID_ARGUMENT (engine, out or
     * out_len NULL, or request NULL with a non-zero length); E_LIMIT (over
     * max_request_bytes or max_depth); E_ENCODING; E_PARSE; E_SCHEMA (missing
     * record id or kind, wrong type or format, with the path); E_VERSION (a
     * response flavour this plugin does not serve); E_OUT_OF_MEMORY;
     * E_INTERNAL. */
    casecheck_status (CASECHECK_CALL* check)(const casecheck_engine* engine, const char* request_json,
                                             size_t request_len, char** out, size_t* out_len);

    /* Releases a buffer returned by any function of this table. NULL is
     * accepted and ignored. [thread-safe] */
    void (CASECHECK_CALL* free_buffer)(char* buffer);

    /* ---- Minor 1 ---- */

    /* Maps the records of a request to a FHIR R4 Bundle. The request is any
     * document check() accepts (the record model; or FHIR as JSON, NDJSON or
     * XML). options_json may be empty, or {"format": "json"|"xml",
     * "bundle_type": "collection"|"transaction"}; the defaults are JSON and
     * collection.
     * [thread-safe] Like check.
     * Ownership: inputs are borrowed for the call. On OK, *out receives the
     * Bundle (FHIR JSON or FHIR XML) and, when out_issues is not NULL,
     * *out_issues receives a JSON array of mapping issues: fields FHIR cannot
     * carry as the record has them, left out rather than invented
     * ([{"record", "path", "message"}]), and batch records that could not be
     * read ([{"path", "status", "message"}]). out_issues and out_issues_len
     * must both be NULL or both non-NULL. On failure *out holds a message, as
     * for check. Free every buffer with free_buffer.
     * Statuses: as for check; E_SCHEMA also for bad options (with their path). */
    casecheck_status (CASECHECK_CALL* to_fhir)(const casecheck_engine* engine, const char* request_json,
                                               size_t request_len, const char* options_json, size_t options_len,
                                               char** out, size_t* out_len, char** out_issues,
                                               size_t* out_issues_len);

    /* ---- Minor 2: the documentation audit (docs/audit.md) ---- */

    /* Begins an audit with the engine's configuration (its rule pack and clock).
     * options_json may be empty, or {"sample": N, "seed": S, "top": K,
     * "include_text": bool, "subjects": bool}: audit a seeded random sample of N
     * cases (0: every case); list the K records with the most findings (default
     * 20); let those listed records carry their prompts' wording, which may
     * quote notes (default false); keep every judged record's id for
     * subject-list MeasureReports, which makes memory grow with the records
     * (default false).
     * [thread-safe] Any number of audits may run on one engine at once.
     * Ownership: options are borrowed. The engine is borrowed for the audit's
     * whole life: destroy the audit before the engine. On OK *out_audit receives
     * the audit, released with audit_destroy. On failure it is NULL and the
     * message goes to out_error, as for engine_create.
     * Statuses: OK; E_INVALID_ARGUMENT; E_ENCODING; E_PARSE; E_SCHEMA (an unknown
     * or ill-typed option, with its path); E_OUT_OF_MEMORY; E_INTERNAL. */
    casecheck_status (CASECHECK_CALL* audit_begin)(const casecheck_engine* engine, const char* options_json, size_t options_len,
                                                   casecheck_audit** out_audit, char** out_error, size_t* out_error_len);

    /* Audits whole NDJSON lines, each one client's case: a request document
     * with "records" (and optionally "case", "team" and "dismissed"; see
     * record.schema.json), or a FHIR R4 Bundle or resource on one line. A
     * chunk ends at a line end; its last line needs no newline. A line that
     * cannot be read is counted and listed in the report under `source` and
     * its line number (first_line numbers the chunk's first line), and the
     * audit goes on; so does a record a case cannot read. The source is a
     * name the host chooses (a file path); it must not be client data.
     * [audit-owner] One thread at a time per audit.
     * Ownership: both inputs are borrowed for the call.
     * Statuses: OK (whatever the lines held); E_INVALID_ARGUMENT (audit NULL,
     * or a NULL input with a non-zero length); E_OUT_OF_MEMORY; E_INTERNAL.
     * After E_OUT_OF_MEMORY or E_INTERNAL the audit may hold part of the chunk;
     * destroy it. */
    casecheck_status (CASECHECK_CALL* audit_add)(casecheck_audit* audit, const char* ndjson, size_t len, const char* source,
                                                 size_t source_len, uint64_t first_line);

    /* Adds everything `from` has counted to `into`. Both must come from engines
     * with the same configuration and from the same options; `from` is left
     * unchanged. Merging is exact and order-free: audits of the shards of an
     * input, merged in any order, report exactly what one audit of the whole
     * input reports.
     * [audit-owner] for both audits; `into` and `from` must differ.
     * Ownership: both borrowed. On failure *out_error receives a message
     * (optional, as for engine_create) and `into` is unchanged.
     * Statuses: OK; E_INVALID_ARGUMENT; E_CONFIG (different configurations or
     * options); E_OUT_OF_MEMORY; E_INTERNAL. */
    casecheck_status (CASECHECK_CALL* audit_merge)(casecheck_audit* into, const casecheck_audit* from, char** out_error,
                                                   size_t* out_error_len);

    /* Like audit_merge, from a state that audit_finish wrote with the format
     * "state" (in this process or on another machine).
     * [audit-owner] Ownership: the state is borrowed.
     * Statuses: OK; E_INVALID_ARGUMENT; E_ENCODING; E_PARSE; E_LIMIT; E_VERSION
     * (not a state this plugin reads); E_CONFIG (saved under another
     * configuration or options); E_SCHEMA (malformed state); E_OUT_OF_MEMORY;
     * E_INTERNAL. On failure `into` is unchanged. */
    casecheck_status (CASECHECK_CALL* audit_merge_state)(casecheck_audit* into, const char* state, size_t state_len,
                                                         char** out_error, size_t* out_error_len);

    /* Renders the audit so far; the audit stays usable (add more, render again).
     * format is "json" (the report, docs/audit.md), "csv" (compliance per
     * criterion and stratum), "fhir" (a Bundle with a MeasureReport per
     * criterion), "html" (one self-contained page with SVG charts) or "state"
     * (for audit_merge_state). The same counts and configuration give the same
     * bytes.
     * [audit-owner] Ownership: format is borrowed. On OK *out receives the
     * document; on failure a message. Free it with free_buffer.
     * Statuses: OK; E_INVALID_ARGUMENT; E_VERSION (an unknown format);
     * E_OUT_OF_MEMORY; E_INTERNAL. */
    casecheck_status (CASECHECK_CALL* audit_finish)(const casecheck_audit* audit, const char* format, size_t format_len, char** out,
                                                    size_t* out_len);

    /* Destroys an audit. NULL is accepted and ignored. [audit-owner] */
    void (CASECHECK_CALL* audit_destroy)(casecheck_audit* audit);

    /* Minor 3 and later append here. Never reorder, resize or remove a field. */
} casecheck_api;

/* True when the table the plugin returned contains `field`. */
#define CASECHECK_API_HAS(api, field)                                                             \
    ((api) != NULL && (size_t)(api)->struct_size >= offsetof(casecheck_api, field) + sizeof((api)->field))

/* The plugin's one exported symbol. Returns the function table for the
 * requested ABI major, or NULL when this plugin does not serve that major.
 * [thread-safe] The table is static; do not free it. */
CASECHECK_EXPORT const casecheck_api* CASECHECK_CALL casecheck_get_api(uint32_t abi_major);

/* The type of casecheck_get_api, for hosts that look it up with dlsym. */
typedef const casecheck_api*(CASECHECK_CALL* casecheck_get_api_fn)(uint32_t abi_major);

#ifdef __cplusplus
}
#endif

#endif /* CASECHECK_CASECHECK_H */
