/*
 * c-host: the smallest complete host of the casecheck plugin, in plain C99.
 *
 * Usage: c-host PLUGIN_PATH REQUEST_JSON_FILE
 *
 * It loads the plugin at run time, checks one request document and prints the
 * response. Everything it does goes through the function table returned by
 * the plugin's one exported symbol, as casecheck.h prescribes, so it doubles
 * as a template for hosts written in C.
 *
 * Exit status: 0 when every step succeeded, 1 otherwise (including a failed
 * dlclose, because a plugin that cannot be unloaded is a defect worth seeing).
 */
#define _POSIX_C_SOURCE 200809L

#include <casecheck/casecheck.h>

#include <dlfcn.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The clock is pinned so that the demo's output is the same on every run. */
static const char k_config[] = "{\"as_of\":\"2026-03-06T09:00:00Z\"}";

/* ISO C cannot convert the object pointer dlsym returns into a function
 * pointer; POSIX guarantees the representations match, so copy the bytes. */
typedef char assert_fn_pointer_size[(sizeof(casecheck_get_api_fn) == sizeof(void*)) ? 1 : -1];

/* Prints "casecheck: <status name>: <message>". The message is written with
 * its reported length rather than relied on to be NUL-terminated, and it may
 * be absent (E_INVALID_ARGUMENT and E_OUT_OF_MEMORY carry none). */
static void report_failure(const casecheck_api* api, casecheck_status status, const char* message,
                           size_t message_len) {
    fprintf(stderr, "casecheck: %s: ", api->status_name(status));
    if (message != NULL && message_len > 0) {
        fwrite(message, 1, message_len, stderr);
    } else {
        fputs("(no message)", stderr);
    }
    fputc('\n', stderr);
}

/* Reads the whole file as bytes. The request is passed on as-is: the plugin,
 * not the host, is the judge of its encoding and shape. Reads in chunks
 * instead of trusting the file size, so pipes and /dev/stdin work too. */
static int read_file(const char* path, char** out_data, size_t* out_len) {
    FILE* file = fopen(path, "rb");
    char* data = NULL;
    size_t len = 0;
    size_t capacity = 0;
    int ok = 1;

    if (file == NULL) {
        perror(path);
        return 0;
    }
    for (;;) {
        size_t got;
        if (len == capacity) {
            size_t new_capacity = capacity == 0 ? 4096 : capacity * 2;
            char* grown;
            if (new_capacity < capacity) {
                fprintf(stderr, "%s: file too large\n", path);
                ok = 0;
                break;
            }
            grown = realloc(data, new_capacity);
            if (grown == NULL) {
                fprintf(stderr, "%s: out of memory\n", path);
                ok = 0;
                break;
            }
            data = grown;
            capacity = new_capacity;
        }
        got = fread(data + len, 1, capacity - len, file);
        len += got;
        if (got == 0) {
            if (ferror(file)) {
                perror(path);
                ok = 0;
            }
            break;
        }
    }
    if (fclose(file) != 0) {
        perror(path);
        ok = 0;
    }
    if (!ok) {
        free(data);
        return 0;
    }
    *out_data = data;
    *out_len = len;
    return 1;
}

/* Counts the prompts by counting "criterion": keys in the raw response. This
 * is a shortcut that suits a C demo without a JSON parser: it would miscount
 * if the response used the key elsewhere or put a space before the colon. A
 * real host should parse the response (see the Python host). */
static size_t count_occurrences(const char* text, size_t text_len, const char* needle) {
    size_t needle_len = strlen(needle);
    size_t count = 0;
    size_t i = 0;

    while (needle_len > 0 && text_len >= needle_len && i <= text_len - needle_len) {
        if (memcmp(text + i, needle, needle_len) == 0) {
            ++count;
            i += needle_len;
        } else {
            ++i;
        }
    }
    return count;
}

/* Refuses a table that lacks any field this host calls: a table is trusted
 * only up to the size the plugin says it has. */
static int api_is_usable(const casecheck_api* api) {
    if (api->abi_major != CASECHECK_ABI_MAJOR) {
        fprintf(stderr, "casecheck: plugin returned ABI major %" PRIu32 ", expected %u\n",
                api->abi_major, CASECHECK_ABI_MAJOR);
        return 0;
    }
    if (!CASECHECK_API_HAS(api, version) || !CASECHECK_API_HAS(api, status_name) ||
        !CASECHECK_API_HAS(api, engine_create) || !CASECHECK_API_HAS(api, engine_destroy) ||
        !CASECHECK_API_HAS(api, check) || !CASECHECK_API_HAS(api, free_buffer)) {
        fprintf(stderr, "casecheck: function table too small (struct_size %" PRIu32 ")\n",
                api->struct_size);
        return 0;
    }
    if (api->version == NULL || api->status_name == NULL || api->engine_create == NULL ||
        api->engine_destroy == NULL || api->check == NULL || api->free_buffer == NULL) {
        fputs("casecheck: function table has a NULL entry\n", stderr);
        return 0;
    }
    return 1;
}

/* Everything between a usable table and unloading: create the engine, check
 * the request, print the result, release what the plugin handed out. Kept
 * apart from main so that main's only job is loading and unloading. */
static int run(const casecheck_api* api, const char* request, size_t request_len) {
    casecheck_engine* engine = NULL;
    char* error = NULL;
    size_t error_len = 0;
    char* response = NULL;
    size_t response_len = 0;
    casecheck_status status;
    const char* version;
    int ok = 0;

    version = api->version();
    if (version == NULL) {
        fputs("casecheck: version() returned NULL\n", stderr);
        return 0;
    }
    printf("plugin: %s\n", version);

    status = api->engine_create(k_config, sizeof k_config - 1, &engine, &error, &error_len);
    if (status != CASECHECK_OK) {
        report_failure(api, status, error, error_len);
        api->free_buffer(error);
        return 0;
    }
    /* Success returns no message, but freeing NULL is defined and keeps the
     * ownership rule unconditional. */
    api->free_buffer(error);

    status = api->check(engine, request, request_len, &response, &response_len);
    if (status == CASECHECK_OK) {
        fwrite(response, 1, response_len, stdout);
        fputc('\n', stdout);
        printf("prompts: %zu\n", count_occurrences(response, response_len, "\"criterion\":"));
        ok = 1;
    } else {
        /* On failure the buffer, if any, holds the message, not a response. */
        report_failure(api, status, response, response_len);
    }
    api->free_buffer(response);
    api->engine_destroy(engine);
    return ok;
}

int main(int argc, char** argv) {
    void* library;
    void* symbol;
    casecheck_get_api_fn get_api;
    const casecheck_api* api;
    char* request = NULL;
    size_t request_len = 0;
    int ok;

    if (argc != 3) {
        fprintf(stderr, "usage: %s PLUGIN_PATH REQUEST_JSON_FILE\n", argc > 0 ? argv[0] : "c-host");
        return EXIT_FAILURE;
    }
    /* Read the input before loading anything, so a typo in the path fails
     * fast and without touching the plugin. */
    if (!read_file(argv[2], &request, &request_len)) {
        return EXIT_FAILURE;
    }

    /* RTLD_NOW surfaces missing dependencies here rather than mid-call;
     * RTLD_LOCAL keeps the plugin's symbols out of the global namespace. */
    library = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char* why = dlerror();
        fprintf(stderr, "dlopen: %s\n", why != NULL ? why : argv[1]);
        free(request);
        return EXIT_FAILURE;
    }

    ok = 0;
    (void)dlerror(); /* clear any stale error so the check below is reliable */
    symbol = dlsym(library, CASECHECK_ENTRY_SYMBOL);
    if (symbol == NULL) {
        const char* why = dlerror();
        fprintf(stderr, "dlsym: %s\n", why != NULL ? why : CASECHECK_ENTRY_SYMBOL);
    } else {
        memcpy(&get_api, &symbol, sizeof get_api);
        api = get_api(CASECHECK_ABI_MAJOR);
        if (api == NULL) {
            fprintf(stderr, "casecheck: plugin does not serve ABI major %u\n", CASECHECK_ABI_MAJOR);
        } else if (api_is_usable(api)) {
            ok = run(api, request, request_len);
        }
    }
    free(request);

    /* Nothing the plugin returned may be touched from here on: its engines
     * are destroyed and its buffers freed, so unloading is allowed. */
    if (dlclose(library) != 0) {
        const char* why = dlerror();
        fprintf(stderr, "dlclose: %s\n", why != NULL ? why : "failed");
        ok = 0;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("stdout");
        ok = 0;
    }
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
