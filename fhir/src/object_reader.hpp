// Reading typed fields out of JSON objects with JSON-pointer error paths; shared
// by the record-model reader and the FHIR reader.
#pragma once

#include "casecheck/model/record_json.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace casecheck::model::detail {

using nlohmann::json;

// Walks one JSON object, reading typed fields and keeping the first error.
// After an error every read returns "missing", so callers need no checks of
// their own between reads; the caller looks at `error` once at the end.
class ObjectReader {
public:
    ObjectReader(const json& object, std::string path, std::optional<SchemaError>& error)
        : object_(object), path_(std::move(path)), error_(error) {}

    std::optional<std::string> string(const char* key) {
        const json* value = field(key, json::value_t::string, "a string");
        if (value == nullptr) return std::nullopt;
        return value->get<std::string>();
    }

    std::optional<bool> boolean(const char* key) {
        const json* value = field(key, json::value_t::boolean, "true or false");
        if (value == nullptr) return std::nullopt;
        return value->get<bool>();
    }

    std::optional<Instant> instant(const char* key) {
        const json* value = field(key, json::value_t::string, "a date or date-time string");
        if (value == nullptr) return std::nullopt;
        auto parsed = parse_instant(value->get_ref<const std::string&>());
        if (!parsed) fail(key, "must be a date (YYYY-MM-DD) or an RFC 3339 date-time with a UTC offset");
        return parsed;
    }

    std::optional<Duration> duration(const char* key) {
        const json* value = field(key, json::value_t::string, "an ISO 8601 duration string");
        if (value == nullptr) return std::nullopt;
        auto parsed = parse_duration(value->get_ref<const std::string&>());
        if (!parsed) fail(key, "must be an ISO 8601 duration in weeks, days, hours, minutes or seconds");
        return parsed;
    }

    std::vector<std::string> strings(const char* key) {
        std::vector<std::string> out;
        const json* array = field(key, json::value_t::array, "an array of strings");
        if (array == nullptr) return out;
        for (std::size_t i = 0; i < array->size() && !error_; ++i) {
            const json& item = (*array)[i];
            if (!item.is_string()) {
                error_ = SchemaError{child_path(key) + "/" + std::to_string(i), "must be a string"};
                break;
            }
            out.push_back(item.get<std::string>());
        }
        return out;
    }

    // Reads a nested object with `read(ObjectReader&)`.
    template <typename Read>
    auto object(const char* key, Read read) -> std::optional<decltype(read(std::declval<ObjectReader&>()))> {
        const json* value = field(key, json::value_t::object, "an object");
        if (value == nullptr) return std::nullopt;
        ObjectReader nested(*value, child_path(key), error_);
        auto result = read(nested);
        if (error_) return std::nullopt;
        return result;
    }

    // Reads an array of objects, each with `read(ObjectReader&)`.
    template <typename Read>
    auto objects(const char* key, Read read) -> std::vector<decltype(read(std::declval<ObjectReader&>()))> {
        std::vector<decltype(read(std::declval<ObjectReader&>()))> out;
        const json* array = field(key, json::value_t::array, "an array of objects");
        if (array == nullptr) return out;
        for (std::size_t i = 0; i < array->size() && !error_; ++i) {
            const std::string item_path = child_path(key) + "/" + std::to_string(i);
            const json& item = (*array)[i];
            if (!item.is_object()) {
                error_ = SchemaError{item_path, "must be an object"};
                break;
            }
            ObjectReader nested(item, item_path, error_);
            out.push_back(read(nested));
        }
        return out;
    }

    // An instant, or an object {start, end} for a period.
    std::optional<Occurrence> occurrence(const char* key) {
        const json* value = present(key);
        if (value == nullptr) return std::nullopt;
        if (value->is_string()) {
            auto start = instant(key);
            if (!start) return std::nullopt;
            return Occurrence{start, std::nullopt};
        }
        if (!value->is_object()) {
            fail(key, "must be a date-time string or an object {start, end}");
            return std::nullopt;
        }
        return period(key);
    }

    std::optional<Period> period(const char* key) {
        return object(key, [](ObjectReader& r) { return Period{r.instant("start"), r.instant("end")}; });
    }

    std::optional<Party> party(const char* key) {
        return object(key, read_party);
    }

    std::vector<Party> parties(const char* key) { return objects(key, read_party); }

    // A field that must be present, non-empty and a string (ids).
    std::optional<std::string> required_string(const char* key) {
        if (error_) return std::nullopt;
        if (present(key) == nullptr) {
            fail(key, "required field is missing");
            return std::nullopt;
        }
        auto value = string(key);
        if (value && value->empty()) {
            fail(key, "must not be empty");
            return std::nullopt;
        }
        return value;
    }

    const std::string& path() const { return path_; }

    // The member at `key` if it is an object (nullptr when absent; an error when of another type).
    const json* object_member(const char* key) { return field(key, json::value_t::object, "an object"); }

    // The member at `key` if it is an array (nullptr when absent; an error when of another type).
    const json* array_member(const char* key) { return field(key, json::value_t::array, "an array"); }

    static Party read_party(ObjectReader& r) { return Party{r.string("id"), r.string("name"), r.string("role")}; }

private:
    std::string child_path(const char* key) const { return path_ + "/" + key; }

    // The value at `key`, or nullptr when absent or null (both mean "missing").
    const json* present(const char* key) const {
        if (error_) return nullptr;
        const auto it = object_.find(key);
        if (it == object_.end() || it->is_null()) return nullptr;
        return &*it;
    }

    // The value at `key` if present and of `type`; records an error on a type mismatch.
    const json* field(const char* key, json::value_t type, const char* expected) {
        const json* value = present(key);
        if (value == nullptr) return nullptr;
        if (value->type() != type) {
            fail(key, std::string("must be ") + expected);
            return nullptr;
        }
        return value;
    }

    void fail(const char* key, const std::string& message) {
        if (!error_) error_ = SchemaError{child_path(key), message};
    }

    const json& object_;
    std::string path_;
    std::optional<SchemaError>& error_;
};

}  // namespace casecheck::model::detail
