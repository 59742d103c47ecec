// Audit reports: the JSON model every format is drawn from, then CSV and FHIR MeasureReports.
#include "audit/audit.hpp"

#include "stable_hash.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace casecheck::audit {
namespace {

using nlohmann::ordered_json;

// A rate to four places, so reports read the same on every platform; none for an empty denominator.
ordered_json rate_of(std::uint64_t numerator, std::uint64_t denominator) {
    if (denominator == 0) return nullptr;
    return std::round(static_cast<double>(numerator) / static_cast<double>(denominator) * 10'000.0) / 10'000.0;
}

ordered_json tally_json(const std::string& value, const Tally& tally) {
    return {{"value", value}, {"numerator", tally.compliant}, {"denominator", tally.judged}, {"rate", rate_of(tally.compliant, tally.judged)}};
}

std::string hex64(std::uint64_t value) {
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
    return text;
}

// A stable urn:uuid for a resource of the Bundle, from its name and the input's fingerprint.
std::string uuid_for(const std::string& name, const ordered_json& model) {
    Fnv1a64 first, second(0x84222325cbf29ce4ull);
    for (auto* hash : {&first, &second}) {
        hash->add(name);
        hash->add(model["input"]["fingerprint"].get<std::string>());
    }
    const std::string hex = hex64(first.value()) + hex64(second.value());
    // Version 8 (custom) and the RFC 4122 variant, so validators see a well-formed UUID.
    return "urn:uuid:" + hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-8" + hex.substr(13, 3) + "-a" + hex.substr(17, 3) + "-" + hex.substr(20, 12);
}

// Spreadsheets run cells that start with these as formulas; a leading quote keeps them text.
std::string csv_cell(const std::string& value) {
    std::string cell = value;
    if (!cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos) cell.insert(cell.begin(), '\'');
    if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
    std::string quoted = "\"";
    for (const char c : cell) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

std::string number_cell(const ordered_json& value) {
    if (value.is_null()) return "";
    return value.dump();
}

const std::map<std::string, std::string> resource_type_of_kind = {
    {"note", "DocumentReference"}, {"care_plan", "CarePlan"}, {"transition", "ServiceRequest"}, {"consent", "Consent"}, {"assessment", "DocumentReference"}};

ordered_json population(const char* code, std::uint64_t count) {
    return {{"code", {{"coding", ordered_json::array({{{"system", "http://terminology.hl7.org/CodeSystem/measure-population"}, {"code", code}}})}}},
            {"count", count}};
}

ordered_json populations(const ordered_json& tally) {
    const auto denominator = tally["denominator"].get<std::uint64_t>();
    return ordered_json::array({population("initial-population", denominator), population("denominator", denominator),
                                population("numerator", tally["numerator"].get<std::uint64_t>())});
}

ordered_json subject_list(const std::string& full_url, const std::vector<std::pair<std::string, std::string>>& records) {
    ordered_json entries = ordered_json::array();
    for (const auto& [kind, id] : records) {
        entries.push_back({{"item", {{"type", resource_type_of_kind.at(kind)}, {"identifier", {{"system", "urn:casecheck:record"}, {"value", id}}}}}});
    }
    ordered_json list = {{"resourceType", "List"}, {"status", "current"}, {"mode", "snapshot"}};
    if (!entries.empty()) list["entry"] = std::move(entries);
    return {{"fullUrl", full_url}, {"resource", std::move(list)}};
}

}  // namespace

ordered_json report_model(const Audit& audit, const Counts& counts) {
    const Engine& engine = audit.engine();
    const Options& options = audit.options();
    ordered_json model;
    model["casecheck_audit_report"] = 1;
    model["plugin"] = {{"name", "casecheck"}, {"version", CASECHECK_VERSION}};

    ordered_json configuration;
    configuration["rule_pack"] = engine.rule_pack_id();
    configuration["as_of"] = engine.as_of() ? ordered_json(model::format_instant(*engine.as_of())) : ordered_json(nullptr);
    configuration["engine"] = ordered_json::parse(engine.canonical_config());
    configuration["options"] = {{"sample", options.sample}, {"seed", options.seed}, {"top", options.top},
                                {"include_text", options.include_text}, {"subjects", options.subjects}};
    model["configuration"] = std::move(configuration);

    model["input"] = {{"lines", counts.lines}, {"cases_read", counts.cases_read}, {"cases", counts.cases}, {"records", counts.records},
                      {"bytes", counts.bytes}, {"rejected_lines", counts.rejected_lines}, {"rejected_records", counts.rejected_records},
                      {"fingerprint", "fnv1a64x2:" + hex64(counts.fingerprint[0]) + hex64(counts.fingerprint[1])}};

    // Every record's subject key, sorted, for subject lists; with --subjects only.
    std::vector<std::pair<std::string, std::string>> judged = counts.judged_records;
    std::sort(judged.begin(), judged.end());

    ordered_json criteria = ordered_json::array();
    std::array<std::uint64_t, 3> findings_total{};
    std::uint64_t judged_total = 0, compliant_total = 0;
    std::map<std::string, Tally> by_month;
    std::map<std::string, std::map<std::string, Tally>> by_team;
    for (std::size_t i = 0; i < engine.criteria().size(); ++i) {
        const Criterion& criterion = engine.criteria()[i];
        const CriterionCounts& c = counts.criteria.at(i);
        ordered_json item;
        item["id"] = criterion.id;
        item["title"] = criterion.title;
        item["check"] = criterion.kind->name;
        ordered_json applies = ordered_json::array();
        for (const auto kind : criterion.kind->judges) applies.push_back(model::kind_name(kind));
        item["applies_to"] = std::move(applies);
        ordered_json citations = ordered_json::array();
        for (const auto& citation : criterion.citations) citations.push_back({{"framework", citation.framework}, {"clause", citation.clause}});
        item["citations"] = std::move(citations);
        item["numerator"] = c.overall.compliant;
        item["denominator"] = c.overall.judged;
        item["rate"] = rate_of(c.overall.compliant, c.overall.judged);
        item["findings"] = {{"critical", c.findings[2]}, {"warning", c.findings[1]}, {"info", c.findings[0]}};
        const std::uint64_t found = c.findings[0] + c.findings[1] + c.findings[2];
        item["overrides"] = {{"count", c.overridden}, {"rate", rate_of(c.overridden, found)}, {"reasons", c.override_reasons}};
        ordered_json strata;
        for (const auto stratifier : all_stratifiers) {
            ordered_json values = ordered_json::array();
            for (const auto& [value, tally] : c.strata[static_cast<std::size_t>(stratifier)]) values.push_back(tally_json(value, tally));
            strata[std::string(stratifier_name(stratifier))] = std::move(values);
        }
        item["strata"] = std::move(strata);
        if (options.subjects) {
            std::vector<std::string> noncompliant = c.noncompliant;
            std::sort(noncompliant.begin(), noncompliant.end());
            item["noncompliant_records"] = noncompliant;
        }
        criteria.push_back(std::move(item));

        for (std::size_t s = 0; s < 3; ++s) findings_total[s] += c.findings[s];
        judged_total += c.overall.judged;
        compliant_total += c.overall.compliant;
        for (const auto& [month, tally] : c.strata[static_cast<std::size_t>(Stratifier::month)]) {
            by_month[month].judged += tally.judged;
            by_month[month].compliant += tally.compliant;
        }
        for (const auto& [team, tally] : c.strata[static_cast<std::size_t>(Stratifier::team)]) by_team[team][criterion.id] = tally;
    }
    model["summary"] = {{"findings", {{"critical", findings_total[2]}, {"warning", findings_total[1]}, {"info", findings_total[0]}}},
                        {"judgements", judged_total}, {"compliant", compliant_total}, {"rate", rate_of(compliant_total, judged_total)}};
    model["criteria"] = std::move(criteria);

    // Every criterion's judgements pooled by month: is documentation getting better?
    ordered_json trend = ordered_json::array();
    for (const auto& [month, tally] : by_month) {
        ordered_json point = tally_json(month, tally);
        trend.push_back(std::move(point));
    }
    model["trend"] = std::move(trend);

    ordered_json flagged = ordered_json::array();
    for (const auto& r : counts.most_flagged) {
        ordered_json item = {{"case", r.case_id}, {"record", r.record}, {"kind", r.kind}, {"findings", r.findings}, {"critical", r.critical}, {"criteria", r.criteria}};
        if (options.include_text) item["prompts"] = r.summaries;
        flagged.push_back(std::move(item));
    }
    model["most_flagged"] = std::move(flagged);

    ordered_json rejections = ordered_json::array();
    for (const auto& r : counts.rejections) {
        ordered_json item = {{"source", r.source}, {"line", r.line}};
        if (!r.path.empty()) item["path"] = r.path;
        item["status"] = r.status;
        item["message"] = r.message;
        rejections.push_back(std::move(item));
    }
    model["rejections"] = std::move(rejections);
    if (options.subjects) {
        ordered_json records = ordered_json::array();
        for (const auto& [kind, id] : judged) records.push_back({{"kind", kind}, {"record", id}});
        model["judged_records"] = std::move(records);
    }
    return model;
}

std::string report_json(const Audit& audit, const Counts& counts) { return report_model(audit, counts).dump(2) + "\n"; }

std::string report_csv(const Audit& audit, const Counts& counts) {
    const ordered_json model = report_model(audit, counts);
    // One tidy table: a row per criterion overall, then a row per stratum; spreadsheets pivot it as they like.
    std::string csv = "criterion,title,stratifier,stratum,numerator,denominator,rate,findings,overrides\r\n";
    for (const auto& c : model["criteria"]) {
        const std::string id = csv_cell(c["id"].get<std::string>());
        const std::string title = csv_cell(c["title"].get<std::string>());
        const auto& f = c["findings"];
        const std::uint64_t findings = f["critical"].get<std::uint64_t>() + f["warning"].get<std::uint64_t>() + f["info"].get<std::uint64_t>();
        csv += id + "," + title + ",all,," + c["numerator"].dump() + "," + c["denominator"].dump() + "," + number_cell(c["rate"]) + "," +
               std::to_string(findings) + "," + c["overrides"]["count"].dump() + "\r\n";
        for (const auto& [stratifier, values] : c["strata"].items()) {
            for (const auto& v : values) {
                csv += id + "," + title + "," + stratifier + "," + csv_cell(v["value"].get<std::string>()) + "," + v["numerator"].dump() + "," +
                       v["denominator"].dump() + "," + number_cell(v["rate"]) + ",,\r\n";
            }
        }
    }
    return csv;
}

std::string report_fhir(const Audit& audit, const Counts& counts) {
    const ordered_json model = report_model(audit, counts);
    const bool subjects = audit.options().subjects;
    const auto& trend = model["trend"];
    const auto& as_of = model["configuration"]["as_of"];
    // The period the records cover, by month; an empty audit covers the day of its clock.
    std::string first, last;
    for (const auto& point : trend) {
        const std::string month = point["value"].get<std::string>();
        if (month.size() != 7) continue;
        if (first.empty() || month < first) first = month;
        if (last.empty() || month > last) last = month;
    }
    if (first.empty()) first = last = as_of.is_string() ? as_of.get<std::string>().substr(0, 10) : std::string("1970-01-01");

    ordered_json entries = ordered_json::array();
    std::vector<std::pair<std::string, std::string>> judged;
    if (subjects) {
        for (const auto& r : model["judged_records"]) judged.emplace_back(r["kind"].get<std::string>(), r["record"].get<std::string>());
    }
    for (const auto& c : model["criteria"]) {
        const std::string id = c["id"].get<std::string>();
        std::string lower = id;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });

        ordered_json group;
        group["population"] = populations(c);
        if (!c["rate"].is_null()) group["measureScore"] = {{"value", c["rate"]}};
        ordered_json stratifiers = ordered_json::array();
        for (const auto& [stratifier, values] : c["strata"].items()) {
            ordered_json strata = ordered_json::array();
            for (const auto& v : values) {
                ordered_json stratum = {{"value", {{"text", v["value"]}}}, {"population", populations(v)}};
                if (!v["rate"].is_null()) stratum["measureScore"] = {{"value", v["rate"]}};
                strata.push_back(std::move(stratum));
            }
            ordered_json entry = {{"code", ordered_json::array({{{"text", stratifier}}})}};
            if (!strata.empty()) entry["stratum"] = std::move(strata);
            stratifiers.push_back(std::move(entry));
        }
        group["stratifier"] = std::move(stratifiers);

        std::vector<ordered_json> lists;
        if (subjects) {
            // Subjects are records: the denominator is every judged record of the criterion's kinds, the numerator those without a finding.
            std::vector<std::pair<std::string, std::string>> denominator, numerator;
            const auto noncompliant = c["noncompliant_records"].get<std::vector<std::string>>();
            for (const auto& record : judged) {
                bool applies = false;
                for (const auto& kind : c["applies_to"]) applies = applies || kind == record.first;
                if (!applies) continue;
                denominator.push_back(record);
                if (!std::binary_search(noncompliant.begin(), noncompliant.end(), record.second)) numerator.push_back(record);
            }
            const std::string denominator_url = uuid_for("denominator " + id, model), numerator_url = uuid_for("numerator " + id, model);
            group["population"][0]["subjectResults"] = {{"reference", denominator_url}};
            group["population"][1]["subjectResults"] = {{"reference", denominator_url}};
            group["population"][2]["subjectResults"] = {{"reference", numerator_url}};
            lists.push_back(subject_list(denominator_url, denominator));
            lists.push_back(subject_list(numerator_url, numerator));
        }

        ordered_json report;
        report["resourceType"] = "MeasureReport";
        report["id"] = "casecheck-audit-" + lower;
        report["status"] = "complete";
        report["type"] = subjects ? "subject-list" : "summary";
        report["measure"] = "https://casecheck.example/fhir/Measure/" + id;
        if (as_of.is_string()) report["date"] = as_of;
        report["period"] = {{"start", first}, {"end", last}};
        report["improvementNotation"] = {
            {"coding", ordered_json::array({{{"system", "http://terminology.hl7.org/CodeSystem/measure-improvement-notation"}, {"code", "increase"}}})}};
        report["group"] = ordered_json::array({std::move(group)});
        entries.push_back({{"fullUrl", uuid_for("report " + id, model)}, {"resource", std::move(report)}});
        for (auto& list : lists) entries.push_back(std::move(list));
    }
    ordered_json bundle = {{"resourceType", "Bundle"}, {"type", "collection"}};
    if (!entries.empty()) bundle["entry"] = std::move(entries);
    return bundle.dump(2) + "\n";
}

}  // namespace casecheck::audit
