// Reading the record model from its JSON form (sdk/schema/record.schema.json).
#pragma once

#include "casecheck/model/record.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace casecheck::model {

// Why a JSON value is not a valid record. `path` is a JSON pointer into the
// document; `message` describes the problem without quoting the value.
struct SchemaError {
    std::string path;
    std::string message;
};

// Either a record or the first schema error found in it.
struct RecordReadResult {
    std::optional<Record> record;
    std::optional<SchemaError> error;
};

// Reads one record. `path` is the record's JSON pointer in the enclosing
// document (e.g. "/record"), used as the prefix of error paths. Unknown fields
// are ignored and JSON null reads as a missing field.
RecordReadResult read_record(const nlohmann::json& value, const std::string& path);

// Writes a record in its JSON form; read_record(write_record(r)) equals r.
// Missing fields are left out, so equal records write equal JSON.
nlohmann::ordered_json write_record(const Record& record);

}  // namespace casecheck::model
