// Audit: reading cases line by line, counting compliance, merging, and the saved state.
#include "audit/audit.hpp"

#include "json_input.hpp"
#include "stable_hash.hpp"

#include <algorithm>
#include <tuple>

namespace casecheck::audit {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr const char* not_recorded = "(not recorded)";

// States travel between machines and may be large; they are still bounded and checked like any input.
const InputLimits state_limits{std::size_t{1} << 32, 64};

std::string option_error(const std::string& key, const std::string& message) { return "options /" + key + ": " + message; }

// When the record's event happened, for the month stratum: the contact, the plan's creation, the decision.
std::optional<model::Instant> event_time(const model::Record& record) {
    const auto first = [](const std::optional<model::Period>& period, const std::optional<model::Instant>& fallback) {
        return period && period->start ? period->start : fallback;
    };
    if (const auto* note = record.as<model::Note>()) return first(note->occurred, note->recorded);
    if (const auto* assessment = record.as<model::Assessment>()) return first(assessment->occurred, assessment->recorded);
    if (const auto* plan = record.as<model::CarePlan>()) return plan->created ? plan->created : first(plan->period, std::nullopt);
    if (const auto* transition = record.as<model::Transition>()) return transition->date;
    if (const auto* consent = record.as<model::Consent>()) return consent->date ? consent->date : first(consent->period, std::nullopt);
    return std::nullopt;
}

// "YYYY-MM" of the instant's own calendar date (in the offset it was written with), as the model formats it.
std::string month_of(const std::optional<model::Instant>& instant) {
    if (!instant) return not_recorded;
    return model::format_instant(*instant).substr(0, 7);
}

const std::optional<model::Party>* author_of(const model::Record& record) {
    if (const auto* note = record.as<model::Note>()) return &note->author;
    if (const auto* assessment = record.as<model::Assessment>()) return &assessment->author;
    if (const auto* plan = record.as<model::CarePlan>()) return &plan->author;
    if (const auto* transition = record.as<model::Transition>()) return &transition->author;
    if (const auto* consent = record.as<model::Consent>()) return &consent->recorded_by;
    return nullptr;
}

// Staff are reported by id, the way an EHR keys them; a name only when there is no id.
std::string author_key(const model::Record& record) {
    const auto* author = author_of(record);
    if (author == nullptr || !*author) return not_recorded;
    if ((*author)->id) return *(*author)->id;
    if ((*author)->name) return *(*author)->name;
    return not_recorded;
}

// An override reason as a report may show it: a short code as given; anything
// longer or with spaces may be a clinician's own words, so it is only counted.
std::string reason_bucket(const std::string& reason) {
    if (reason.empty()) return "(no code)";
    const bool code_like = reason.size() <= 40 && std::all_of(reason.begin(), reason.end(), [](unsigned char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    });
    return code_like ? reason : "(free text)";
}

bool worse(const FlaggedRecord& a, const FlaggedRecord& b) {
    return std::tie(b.findings, b.critical, a.case_id, a.record) < std::tie(a.findings, a.critical, b.case_id, b.record);
}

bool earlier(const Rejection& a, const Rejection& b) {
    return std::tie(a.source, a.line, a.path) < std::tie(b.source, b.line, b.path);
}

// Keeps the earliest rejections by location; every one is counted elsewhere.
void list_rejection(Counts& counts, Rejection rejection) {
    auto& listed = counts.rejections;
    if (listed.size() >= max_listed_rejections && !earlier(rejection, listed.back())) return;
    listed.insert(std::upper_bound(listed.begin(), listed.end(), rejection, earlier), std::move(rejection));
    if (listed.size() > max_listed_rejections) listed.pop_back();
}

// splitmix64's finaliser: spreads a seed and a line hash into a uniform sampling key.
std::uint64_t mix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

// ---- The saved state: every member of Counts, as plain JSON ----

ordered_json tally_json(const Tally& tally) { return ordered_json::array({tally.judged, tally.compliant}); }

ordered_json counts_json(const Counts& counts) {
    ordered_json out;
    out["lines"] = counts.lines;
    out["cases_read"] = counts.cases_read;
    out["cases"] = counts.cases;
    out["records"] = counts.records;
    out["bytes"] = counts.bytes;
    out["rejected_lines"] = counts.rejected_lines;
    out["rejected_records"] = counts.rejected_records;
    out["fingerprint"] = counts.fingerprint;
    ordered_json criteria = ordered_json::array();
    for (const auto& c : counts.criteria) {
        ordered_json item;
        item["overall"] = tally_json(c.overall);
        item["findings"] = c.findings;
        item["overridden"] = c.overridden;
        item["override_reasons"] = c.override_reasons;
        ordered_json strata = ordered_json::array();
        for (const auto& stratum : c.strata) {
            ordered_json values = ordered_json::object();
            for (const auto& [value, tally] : stratum) values[value] = tally_json(tally);
            strata.push_back(std::move(values));
        }
        item["strata"] = std::move(strata);
        item["noncompliant"] = c.noncompliant;
        criteria.push_back(std::move(item));
    }
    out["criteria"] = std::move(criteria);
    ordered_json flagged = ordered_json::array();
    for (const auto& r : counts.most_flagged) {
        flagged.push_back({{"case", r.case_id}, {"record", r.record}, {"kind", r.kind}, {"findings", r.findings},
                           {"critical", r.critical}, {"criteria", r.criteria}, {"summaries", r.summaries}});
    }
    out["most_flagged"] = std::move(flagged);
    ordered_json rejections = ordered_json::array();
    for (const auto& r : counts.rejections) {
        rejections.push_back({{"source", r.source}, {"line", r.line}, {"path", r.path}, {"status", r.status}, {"message", r.message}});
    }
    out["rejections"] = std::move(rejections);
    out["judged_records"] = counts.judged_records;
    return out;
}

Tally tally_from(const json& value) { return Tally{value.at(0).get<std::uint64_t>(), value.at(1).get<std::uint64_t>()}; }

// Throws json exceptions on a malformed state; merge_state turns them into one message.
Counts counts_from(const json& in) {
    Counts counts;
    counts.lines = in.at("lines").get<std::uint64_t>();
    counts.cases_read = in.at("cases_read").get<std::uint64_t>();
    counts.cases = in.at("cases").get<std::uint64_t>();
    counts.records = in.at("records").get<std::uint64_t>();
    counts.bytes = in.at("bytes").get<std::uint64_t>();
    counts.rejected_lines = in.at("rejected_lines").get<std::uint64_t>();
    counts.rejected_records = in.at("rejected_records").get<std::uint64_t>();
    counts.fingerprint = in.at("fingerprint").get<std::array<std::uint64_t, 2>>();
    for (const auto& item : in.at("criteria")) {
        CriterionCounts c;
        c.overall = tally_from(item.at("overall"));
        c.findings = item.at("findings").get<std::array<std::uint64_t, 3>>();
        c.overridden = item.at("overridden").get<std::uint64_t>();
        c.override_reasons = item.at("override_reasons").get<std::map<std::string, std::uint64_t>>();
        const auto& strata = item.at("strata");
        if (strata.size() != c.strata.size()) throw std::out_of_range("strata");
        for (std::size_t s = 0; s < c.strata.size(); ++s) {
            for (const auto& [value, tally] : strata.at(s).items()) c.strata[s][value] = tally_from(tally);
        }
        c.noncompliant = item.at("noncompliant").get<std::vector<std::string>>();
        counts.criteria.push_back(std::move(c));
    }
    for (const auto& r : in.at("most_flagged")) {
        counts.most_flagged.push_back({r.at("case").get<std::string>(), r.at("record").get<std::string>(), r.at("kind").get<std::string>(),
                                       r.at("findings").get<std::uint64_t>(), r.at("critical").get<std::uint64_t>(),
                                       r.at("criteria").get<std::vector<std::string>>(), r.at("summaries").get<std::vector<std::string>>()});
    }
    for (const auto& r : in.at("rejections")) {
        counts.rejections.push_back({r.at("source").get<std::string>(), r.at("line").get<std::uint64_t>(), r.at("path").get<std::string>(),
                                     r.at("status").get<std::string>(), r.at("message").get<std::string>()});
    }
    counts.judged_records = in.at("judged_records").get<std::vector<std::pair<std::string, std::string>>>();
    return counts;
}

ordered_json options_json(const Options& options) {
    return {{"sample", options.sample}, {"seed", options.seed}, {"top", options.top},
            {"include_text", options.include_text}, {"subjects", options.subjects}};
}

}  // namespace

std::string_view stratifier_name(Stratifier stratifier) {
    switch (stratifier) {
        case Stratifier::team: return "team";
        case Stratifier::author: return "author";
        case Stratifier::kind: return "kind";
        case Stratifier::month: return "month";
    }
    return "team";
}

Result<Options> read_options(std::string_view options_json) {
    Options options;
    if (options_json.empty()) return options;
    auto parsed = parse_json_input(options_json, InputLimits{}, "options");
    if (!parsed.ok()) return parsed.failure();
    const json& document = parsed.value();
    if (!document.is_object()) return Failure{CASECHECK_E_SCHEMA, "options /: must be a JSON object"};
    for (const auto& item : document.items()) {
        const std::string& key = item.key();
        const json& value = item.value();
        if (key == "sample" || key == "seed" || key == "top") {
            if (!value.is_number_unsigned()) return Failure{CASECHECK_E_SCHEMA, option_error(key, "must be a whole number")};
            const auto number = value.get<std::uint64_t>();
            if (key == "sample") options.sample = number;
            if (key == "seed") options.seed = number;
            if (key == "top") {
                if (number > 10'000) return Failure{CASECHECK_E_SCHEMA, option_error(key, "must be at most 10000")};
                options.top = static_cast<std::size_t>(number);
            }
        } else if (key == "include_text" || key == "subjects") {
            if (!value.is_boolean()) return Failure{CASECHECK_E_SCHEMA, option_error(key, "must be true or false")};
            (key == "subjects" ? options.subjects : options.include_text) = value.get<bool>();
        } else {
            return Failure{CASECHECK_E_SCHEMA, option_error(key, "unknown key")};
        }
    }
    if (options.sample > 1'000'000) return Failure{CASECHECK_E_SCHEMA, option_error("sample", "must be at most 1000000")};
    return options;
}

void Counts::absorb(const Counts& other, std::size_t top) {
    lines += other.lines;
    cases_read += other.cases_read;
    cases += other.cases;
    records += other.records;
    bytes += other.bytes;
    rejected_lines += other.rejected_lines;
    rejected_records += other.rejected_records;
    fingerprint[0] += other.fingerprint[0];
    fingerprint[1] += other.fingerprint[1];
    if (criteria.size() < other.criteria.size()) criteria.resize(other.criteria.size());
    for (std::size_t i = 0; i < other.criteria.size(); ++i) {
        CriterionCounts& mine = criteria[i];
        const CriterionCounts& theirs = other.criteria[i];
        mine.overall.judged += theirs.overall.judged;
        mine.overall.compliant += theirs.overall.compliant;
        for (std::size_t s = 0; s < mine.findings.size(); ++s) mine.findings[s] += theirs.findings[s];
        mine.overridden += theirs.overridden;
        for (const auto& [reason, n] : theirs.override_reasons) mine.override_reasons[reason] += n;
        for (std::size_t s = 0; s < mine.strata.size(); ++s) {
            for (const auto& [value, tally] : theirs.strata[s]) {
                Tally& into = mine.strata[s][value];
                into.judged += tally.judged;
                into.compliant += tally.compliant;
            }
        }
        mine.noncompliant.insert(mine.noncompliant.end(), theirs.noncompliant.begin(), theirs.noncompliant.end());
    }
    if (!other.most_flagged.empty()) {
        most_flagged.insert(most_flagged.end(), other.most_flagged.begin(), other.most_flagged.end());
        std::sort(most_flagged.begin(), most_flagged.end(), worse);
        if (most_flagged.size() > top) most_flagged.resize(top);
    }
    if (!other.rejections.empty()) {
        rejections.insert(rejections.end(), other.rejections.begin(), other.rejections.end());
        std::sort(rejections.begin(), rejections.end(), earlier);
        if (rejections.size() > max_listed_rejections) rejections.resize(max_listed_rejections);
    }
    judged_records.insert(judged_records.end(), other.judged_records.begin(), other.judged_records.end());
}

Audit::Audit(const Engine& engine, Options options) : engine_(engine), options_(options) {
    counts_.criteria.resize(engine.criteria().size());
}

void Audit::add(std::string_view lines, std::string_view source, std::uint64_t first_line) {
    std::uint64_t number = first_line;
    while (!lines.empty()) {
        const auto newline = lines.find('\n');
        std::string_view line = lines.substr(0, newline);
        lines.remove_prefix(newline == std::string_view::npos ? lines.size() : newline + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.find_first_not_of(" \t") != std::string_view::npos) add_line(line, source, number);
        ++number;
    }
}

void Audit::add_line(std::string_view line, std::string_view source, std::uint64_t number) {
    Fnv1a64 first_hash, second_hash(0x84222325cbf29ce4ull);
    first_hash.add(line);
    second_hash.add(line);
    counts_.lines += 1;
    counts_.bytes += line.size() + 1;
    counts_.fingerprint[0] += first_hash.value();
    counts_.fingerprint[1] += second_hash.value();

    auto read = engine_.read_case(line);
    if (!read.ok()) {
        counts_.rejected_lines += 1;
        list_rejection(counts_, {std::string(source), number, "", status_name(read.failure().status), read.failure().message});
        return;
    }
    const CaseInput& input = read.value();
    counts_.cases_read += 1;
    // A line with nothing to judge (a bulk export's Practitioner, say) is read, not audited as a case.
    if (input.targets.empty() && input.rejections.empty()) return;

    Counts case_counts;
    Counts& into = options_.sample > 0 ? case_counts : counts_;
    into.criteria.resize(engine_.criteria().size());
    const std::string case_id = input.case_id                                    ? *input.case_id
                                : !input.targets.empty() && input.targets[0].client ? *input.targets[0].client
                                                                                  : std::string(source) + ":" + std::to_string(number);
    const std::string team = input.team ? *input.team : not_recorded;

    into.cases += 1;
    into.rejected_records += input.rejections.size();
    for (const auto& rejection : input.rejections) {
        list_rejection(into, {std::string(source), number, rejection.path, status_name(rejection.failure.status), rejection.failure.message});
    }

    // Findings per record and criterion, then each record is judged once per criterion.
    const auto& criteria = engine_.criteria();
    const std::size_t width = criteria.size();
    std::vector<std::uint32_t> findings(input.targets.size() * width, 0);
    std::vector<std::uint64_t> critical(input.targets.size(), 0);
    std::vector<std::vector<std::string>> summaries(options_.include_text ? input.targets.size() : 0);
    engine_.run_criteria(input, [&](const Criterion& criterion, const model::Record& record, Finding& finding) {
        const std::size_t r = static_cast<std::size_t>(&record - input.targets.data());
        const std::size_t c = static_cast<std::size_t>(&criterion - criteria.data());
        const MessageSpec& message = criterion.messages.at(finding.message);
        findings[r * width + c] += 1;
        CriterionCounts& counted = into.criteria[c];
        counted.findings[static_cast<std::size_t>(message.severity)] += 1;
        if (message.severity == Severity::critical) critical[r] += 1;
        if (!input.dismissed.empty()) {
            const auto dismissed = input.dismissed.find(prompt_id(criterion.id, record.id, finding));
            if (dismissed != input.dismissed.end()) {
                counted.overridden += 1;
                counted.override_reasons[reason_bucket(dismissed->second)] += 1;
            }
        }
        if (options_.include_text) summaries[r].push_back(criterion.id + ": " + fill_placeholders(message.summary, finding.values));
    });

    for (std::size_t r = 0; r < input.targets.size(); ++r) {
        const model::Record& record = input.targets[r];
        const std::array<std::string, all_stratifiers.size()> strata = {team, author_key(record), std::string(model::kind_name(record.kind())),
                                                                          month_of(event_time(record))};
        into.records += 1;
        if (options_.subjects) into.judged_records.emplace_back(strata[2], record.id);
        FlaggedRecord flagged{case_id, record.id, strata[2], 0, critical[r], {}, {}};
        for (std::size_t c = 0; c < width; ++c) {
            const std::uint32_t found = findings[r * width + c];
            flagged.findings += found;
            if (found > 0) flagged.criteria.push_back(criteria[c].id);
            if (!criteria[c].kind->judges_kind(record.kind())) continue;
            CriterionCounts& counted = into.criteria[c];
            const std::uint64_t compliant = found == 0 ? 1 : 0;
            counted.overall.judged += 1;
            counted.overall.compliant += compliant;
            for (std::size_t s = 0; s < strata.size(); ++s) {
                Tally& tally = counted.strata[s][strata[s]];
                tally.judged += 1;
                tally.compliant += compliant;
            }
            if (options_.subjects && found > 0) counted.noncompliant.push_back(record.id);
        }
        if (flagged.findings == 0 || options_.top == 0) continue;
        const bool listed = into.most_flagged.size() < options_.top || worse(flagged, into.most_flagged.back());
        if (!listed) continue;
        std::sort(flagged.criteria.begin(), flagged.criteria.end());
        if (options_.include_text) flagged.summaries = std::move(summaries[r]);
        into.most_flagged.insert(std::upper_bound(into.most_flagged.begin(), into.most_flagged.end(), flagged, worse), std::move(flagged));
        if (into.most_flagged.size() > options_.top) into.most_flagged.pop_back();
    }

    if (options_.sample == 0) return;
    // Bottom-k sampling on a hash of the line: the same cases are chosen however the input is split or ordered.
    const std::uint64_t key = mix(options_.seed ^ mix(first_hash.value()));
    sampled_.emplace(std::pair{key, case_id}, std::move(case_counts));
    if (sampled_.size() > options_.sample) sampled_.erase(std::prev(sampled_.end()));
}

std::optional<Failure> Audit::merge(const Audit& other) {
    if (&other == this) return Failure{CASECHECK_E_INVALID_ARGUMENT, "an audit cannot be merged into itself"};
    if (other.engine_.canonical_config() != engine_.canonical_config() || options_json(other.options_) != options_json(options_)) {
        return Failure{CASECHECK_E_CONFIG, "the audits were begun with different configurations or options; only like audits merge"};
    }
    counts_.absorb(other.counts_, options_.top);
    for (const auto& [key, counts] : other.sampled_) {
        sampled_.emplace(key, counts);
        if (sampled_.size() > options_.sample) sampled_.erase(std::prev(sampled_.end()));
    }
    return std::nullopt;
}

std::string Audit::state() const {
    ordered_json out;
    out["casecheck_audit_state"] = 1;
    out["configuration"] = engine_.canonical_config();
    out["options"] = options_json(options_);
    out["counts"] = counts_json(counts_);
    ordered_json sampled = ordered_json::array();
    for (const auto& [key, counts] : sampled_) sampled.push_back({{"key", key.first}, {"case", key.second}, {"counts", counts_json(counts)}});
    out["sampled"] = std::move(sampled);
    return out.dump();
}

std::optional<Failure> Audit::merge_state(std::string_view state_json) {
    auto parsed = parse_json_input(state_json, state_limits, "audit state");
    if (!parsed.ok()) return parsed.failure();
    const json& state = parsed.value();
    const auto version = state.is_object() ? state.find("casecheck_audit_state") : state.end();
    if (!state.is_object() || version == state.end() || *version != 1) {
        return Failure{CASECHECK_E_VERSION, "audit state /casecheck_audit_state: not a version 1 casecheck audit state"};
    }
    const auto configuration = state.find("configuration");
    if (configuration == state.end() || *configuration != engine_.canonical_config() || !state.contains("options") ||
        json(options_json(options_)) != state["options"]) {
        return Failure{CASECHECK_E_CONFIG, "audit state /configuration: it was saved under a different configuration or options; only like audits merge"};
    }
    Counts loaded;
    std::vector<std::pair<std::pair<std::uint64_t, std::string>, Counts>> loaded_samples;
    try {
        loaded = counts_from(state.at("counts"));
        if (loaded.criteria.size() != engine_.criteria().size()) throw std::out_of_range("criteria");
        for (const auto& item : state.at("sampled")) {
            loaded_samples.emplace_back(std::pair{item.at("key").get<std::uint64_t>(), item.at("case").get<std::string>()}, counts_from(item.at("counts")));
        }
    } catch (const json::exception&) {
        return Failure{CASECHECK_E_SCHEMA, "audit state /counts: malformed (a member is missing or has the wrong type)"};
    } catch (const std::out_of_range&) {
        return Failure{CASECHECK_E_SCHEMA, "audit state /counts: malformed (wrong number of criteria or strata)"};
    }
    counts_.absorb(loaded, options_.top);
    for (auto& [key, counts] : loaded_samples) {
        sampled_.emplace(key, std::move(counts));
        if (sampled_.size() > options_.sample) sampled_.erase(std::prev(sampled_.end()));
    }
    return std::nullopt;
}

Counts Audit::reported_counts() const {
    if (options_.sample == 0) return counts_;
    Counts counts;
    counts.criteria.resize(engine_.criteria().size());
    for (const auto& [key, sampled] : sampled_) counts.absorb(sampled, options_.top);
    // Reading and rejection belong to the whole input, not to the sample.
    counts.lines = counts_.lines;
    counts.cases_read = counts_.cases_read;
    counts.bytes = counts_.bytes;
    counts.rejected_lines = counts_.rejected_lines;
    counts.fingerprint = counts_.fingerprint;
    counts.rejections = counts_.rejections;
    return counts;
}

Result<std::string> Audit::report(std::string_view format) const {
    const Counts counts = reported_counts();
    if (format == "json") return report_json(*this, counts);
    if (format == "csv") return report_csv(*this, counts);
    if (format == "fhir") return report_fhir(*this, counts);
    if (format == "html") return report_html(*this, counts);
    if (format == "state") return state();
    return Failure{CASECHECK_E_VERSION, "audit report format: must be \"json\", \"csv\", \"fhir\", \"html\" or \"state\""};
}

}  // namespace casecheck::audit
