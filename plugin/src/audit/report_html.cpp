// The audit as one self-contained HTML page: inline CSS and SVG, no scripts, and a
// Content-Security-Policy that forbids every fetch, so the page works offline and
// can be mailed around as a file.
#include "audit/audit.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace casecheck::audit {
namespace {

using nlohmann::ordered_json;

// Every piece of text on the page goes through here: team names, staff ids and
// record ids are the host's data and may hold markup.
std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string str(const ordered_json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

std::string fixed(double value, int places) {
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", places, value);
    return text;
}

std::string percent(const ordered_json& rate) { return rate.is_null() ? "n/a" : fixed(rate.get<double>() * 100.0, 1) + "%"; }

std::string with_commas(std::uint64_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

// Orange (poor) through white to purple (good): a scale that stays readable to red-green colour-blind readers.
std::string rate_colour(const ordered_json& rate) {
    if (rate.is_null()) return "#e0e0e0";
    const double r = std::clamp(rate.get<double>(), 0.0, 1.0);
    struct Stop { double at; int rgb[3]; };
    static const Stop stops[] = {{0.0, {179, 88, 6}}, {0.5, {241, 163, 64}}, {0.8, {247, 247, 247}}, {1.0, {84, 39, 136}}};
    std::size_t i = 0;
    while (i + 2 < std::size(stops) && r > stops[i + 1].at) ++i;
    const double t = (r - stops[i].at) / (stops[i + 1].at - stops[i].at);
    char colour[8];
    int rgb[3];
    for (int k = 0; k < 3; ++k) rgb[k] = static_cast<int>(std::lround(stops[i].rgb[k] + t * (stops[i + 1].rgb[k] - stops[i].rgb[k])));
    std::snprintf(colour, sizeof colour, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
    return colour;
}

// Dark text on light cells, light text on dark ones.
std::string text_colour(const ordered_json& rate) {
    if (rate.is_null()) return "#333";
    const double r = rate.get<double>();
    return (r < 0.25 || r > 0.93) ? "#fff" : "#111";
}

std::string bar_chart(const ordered_json& criteria) {
    constexpr int row = 22, label = 70, width = 520, right = 150;
    const int height = static_cast<int>(criteria.size()) * row + 30;
    std::string svg = "<svg class=\"chart\" id=\"compliance-by-criterion\" role=\"img\" viewBox=\"0 0 " + std::to_string(label + width + right) + " " +
                      std::to_string(height) + "\" width=\"" + std::to_string(label + width + right) + "\" height=\"" + std::to_string(height) +
                      "\"><title>Compliance by criterion</title>";
    for (int pct = 0; pct <= 100; pct += 25) {
        const int x = label + width * pct / 100;
        svg += "<line x1=\"" + std::to_string(x) + "\" y1=\"0\" x2=\"" + std::to_string(x) + "\" y2=\"" + std::to_string(height - 20) +
               "\" class=\"grid\"/><text x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(height - 5) + "\" class=\"axis\">" + std::to_string(pct) + "%</text>";
    }
    int y = 0;
    for (const auto& c : criteria) {
        const ordered_json& rate = c["rate"];
        const int bar = rate.is_null() ? 0 : static_cast<int>(std::lround(rate.get<double>() * width));
        svg += "<g><title>" + escape(str(c["id"])) + " " + escape(str(c["title"])) + ": " + percent(rate) + " (" + with_commas(c["numerator"].get<std::uint64_t>()) +
               " of " + with_commas(c["denominator"].get<std::uint64_t>()) + ")</title>";
        svg += "<text x=\"" + std::to_string(label - 6) + "\" y=\"" + std::to_string(y + 15) + "\" class=\"label\">" + escape(str(c["id"])) + "</text>";
        svg += "<rect x=\"" + std::to_string(label) + "\" y=\"" + std::to_string(y + 3) + "\" width=\"" + std::to_string(bar) + "\" height=\"" +
               std::to_string(row - 6) + "\" fill=\"" + rate_colour(rate) + "\" stroke=\"#555\" stroke-width=\"0.5\"/>";
        svg += "<text x=\"" + std::to_string(label + width + 6) + "\" y=\"" + std::to_string(y + 15) + "\" class=\"value\">" + percent(rate) + " of " +
               with_commas(c["denominator"].get<std::uint64_t>()) + "</text></g>";
        y += row;
    }
    return svg + "</svg>";
}

std::string trend_chart(const ordered_json& trend) {
    constexpr int left = 50, top = 10, width = 640, height = 220, right = 40;
    std::string svg = "<svg class=\"chart\" id=\"trend-by-month\" role=\"img\" viewBox=\"0 0 " + std::to_string(left + width + right) + " " +
                      std::to_string(top + height + 40) + "\" width=\"" + std::to_string(left + width + right) + "\" height=\"" +
                      std::to_string(top + height + 40) + "\"><title>Compliance by month, all criteria</title>";
    std::vector<const ordered_json*> points;
    double lowest = 1.0;
    for (const auto& point : trend) {
        if (point["rate"].is_null()) continue;
        points.push_back(&point);
        lowest = std::min(lowest, point["rate"].get<double>());
    }
    // The axis starts at the 10% step below the lowest month, so a change of a few points stays visible; the labels say where it starts.
    const int floor_pct = std::max(0, static_cast<int>(std::floor(lowest * 10.0 - 0.5)) * 10);
    const auto y_of = [&](double rate) { return top + height - height * (rate * 100.0 - floor_pct) / (100.0 - floor_pct); };
    for (int step = 0; step <= 5; ++step) {
        const double pct = floor_pct + (100.0 - floor_pct) * step / 5.0;
        const std::string y = fixed(y_of(pct / 100.0), 1);
        svg += "<line x1=\"" + std::to_string(left) + "\" y1=\"" + y + "\" x2=\"" + std::to_string(left + width) + "\" y2=\"" + y +
               "\" class=\"grid\"/><text x=\"" + std::to_string(left - 6) + "\" y=\"" + fixed(y_of(pct / 100.0) + 4, 1) + "\" class=\"label\">" +
               fixed(pct, pct == std::floor(pct) ? 0 : 1) + "%</text>";
    }
    if (points.empty()) return svg + "<text x=\"" + std::to_string(left + 10) + "\" y=\"" + std::to_string(top + height / 2) + "\">No dated records</text></svg>";
    const double step = points.size() > 1 ? static_cast<double>(width) / static_cast<double>(points.size() - 1) : 0.0;
    std::string path;
    std::string marks;
    const std::size_t label_every = std::max<std::size_t>(1, points.size() / 12);
    for (std::size_t i = 0; i < points.size(); ++i) {
        const auto& point = *points[i];
        const double x = left + (points.size() > 1 ? step * static_cast<double>(i) : width / 2.0);
        const double y = y_of(point["rate"].get<double>());
        path += (i == 0 ? "M" : " L") + fixed(x, 1) + " " + fixed(y, 1);
        marks += "<circle cx=\"" + fixed(x, 1) + "\" cy=\"" + fixed(y, 1) + "\" r=\"3.5\" class=\"point\"><title>" + escape(str(point["value"])) + ": " +
                 percent(point["rate"]) + " of " + with_commas(point["denominator"].get<std::uint64_t>()) + " judgements</title></circle>";
        if (i % label_every == 0) {
            marks += "<text x=\"" + fixed(x, 1) + "\" y=\"" + std::to_string(top + height + 18) + "\" class=\"axis\">" + escape(str(point["value"])) + "</text>";
        }
    }
    return svg + "<path d=\"" + path + "\" class=\"line\"/>" + marks + "</svg>";
}

std::string heat_map(const ordered_json& criteria) {
    std::set<std::string> teams;
    for (const auto& c : criteria) {
        for (const auto& v : c["strata"]["team"]) teams.insert(v["value"].get<std::string>());
    }
    constexpr int cell_w = 34, cell_h = 24, left = 150, top = 60;
    const int width = left + cell_w * static_cast<int>(criteria.size()) + 10;
    const int height = top + cell_h * static_cast<int>(teams.size()) + 10;
    std::string svg = "<svg class=\"chart\" id=\"team-by-criterion\" role=\"img\" viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(height) +
                      "\" width=\"" + std::to_string(width) + "\" height=\"" + std::to_string(height) + "\"><title>Compliance by team and criterion</title>";
    int column = 0;
    for (const auto& c : criteria) {
        const int x = left + column * cell_w + cell_w / 2;
        svg += "<text transform=\"translate(" + std::to_string(x) + "," + std::to_string(top - 6) + ") rotate(-55)\" class=\"head\">" + escape(str(c["id"])) + "</text>";
        ++column;
    }
    int row = 0;
    for (const auto& team : teams) {
        const int y = top + row * cell_h;
        svg += "<text x=\"" + std::to_string(left - 6) + "\" y=\"" + std::to_string(y + 16) + "\" class=\"label\">" + escape(team) + "</text>";
        column = 0;
        for (const auto& c : criteria) {
            ordered_json rate = nullptr;
            std::uint64_t denominator = 0;
            for (const auto& v : c["strata"]["team"]) {
                if (v["value"] == team) {
                    rate = v["rate"];
                    denominator = v["denominator"].get<std::uint64_t>();
                }
            }
            const int x = left + column * cell_w;
            svg += "<g><title>" + escape(team) + ", " + escape(str(c["id"])) + ": " + percent(rate) + " of " + with_commas(denominator) + "</title><rect x=\"" +
                   std::to_string(x) + "\" y=\"" + std::to_string(y) + "\" width=\"" + std::to_string(cell_w - 2) + "\" height=\"" +
                   std::to_string(cell_h - 2) + "\" fill=\"" + rate_colour(rate) + "\"/><text x=\"" + std::to_string(x + cell_w / 2 - 1) + "\" y=\"" +
                   std::to_string(y + 16) + "\" class=\"cell\" style=\"fill:" + text_colour(rate) + "\">" +
                   (rate.is_null() ? std::string("-") : fixed(rate.get<double>() * 100.0, 0)) + "</text></g>";
            ++column;
        }
        ++row;
    }
    return svg + "</svg>";
}

const char* const style = R"(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d1f;margin:0;background:#fafafa}
main{max-width:1100px;margin:0 auto;padding:24px 28px 60px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:34px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:#555;margin:0 0 18px}
.tiles{display:flex;flex-wrap:wrap;gap:12px;margin:14px 0}
.tile{background:#fff;border:1px solid #ddd;border-radius:8px;padding:10px 16px;min-width:130px}
.tile b{display:block;font-size:22px}
.chart{max-width:100%;height:auto;background:#fff;border:1px solid #ddd;border-radius:6px}
.chart text{font-size:11px;fill:#222}.chart .label{text-anchor:end}.chart .axis{text-anchor:middle;fill:#666}
.chart .value{fill:#333}.chart .head{text-anchor:start}.chart .cell{text-anchor:middle;font-size:10px}
.chart .grid{stroke:#e4e4e4;stroke-width:1}.chart .line{fill:none;stroke:#542788;stroke-width:2}.chart .point{fill:#542788}
table{border-collapse:collapse;width:100%;background:#fff;font-size:13px}
th,td{border:1px solid #ddd;padding:4px 7px;text-align:left;vertical-align:top}th{background:#f0f0f0}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.swatch{display:inline-block;width:12px;height:12px;border:1px solid #888;vertical-align:-2px;margin-right:4px}
.legend span{margin-right:14px}.small{color:#666;font-size:12px}
code{font-size:12px}
)";

}  // namespace

std::string report_html(const Audit& audit, const Counts& counts) {
    const ordered_json model = report_model(audit, counts);
    const auto& input = model["input"];
    const auto& summary = model["summary"];
    const auto& configuration = model["configuration"];
    const auto& criteria = model["criteria"];
    // Charts show what was judged; a criterion with no records of its kinds is only in the table.
    ordered_json charted = ordered_json::array();
    for (const auto& c : criteria) {
        if (c["denominator"].get<std::uint64_t>() > 0) charted.push_back(c);
    }

    std::string html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                       "<title>casecheck documentation audit</title><style>";
    html += style;
    html += "</style></head><body><main>\n<h1>Documentation audit</h1>\n<p class=\"meta\">Rule pack <b>" + escape(str(configuration["rule_pack"])) +
            "</b> &middot; as of <b>" + escape(configuration["as_of"].is_null() ? std::string("no clock set") : str(configuration["as_of"])) +
            "</b> &middot; casecheck " + escape(str(model["plugin"]["version"])) + "</p>\n";

    const auto& findings = summary["findings"];
    html += "<div class=\"tiles\">";
    const auto tile = [&](const std::string& label, const std::string& value) { html += "<div class=\"tile\"><b>" + value + "</b>" + label + "</div>"; };
    tile("overall compliance", percent(summary["rate"]));
    tile("cases audited", with_commas(input["cases"].get<std::uint64_t>()));
    tile("records judged", with_commas(input["records"].get<std::uint64_t>()));
    tile("critical findings", with_commas(findings["critical"].get<std::uint64_t>()));
    tile("warnings", with_commas(findings["warning"].get<std::uint64_t>()));
    tile("lines rejected", with_commas(input["rejected_lines"].get<std::uint64_t>()));
    html += "</div>\n";
    if (configuration["options"]["sample"].get<std::uint64_t>() > 0) {
        html += "<p>A random sample of " + with_commas(input["cases"].get<std::uint64_t>()) + " of " + with_commas(input["cases_read"].get<std::uint64_t>()) +
                " cases (seed " + str(configuration["options"]["seed"]) + ").</p>\n";
    }
    html += "<p class=\"legend small\"><span><i class=\"swatch\" style=\"background:" + rate_colour(0.3) + "\"></i>below 50%</span><span><i class=\"swatch\" style=\"background:" +
            rate_colour(0.8) + "\"></i>80%</span><span><i class=\"swatch\" style=\"background:" + rate_colour(1.0) +
            "\"></i>100%</span> A rate is the share of the records a criterion judges that have no finding of that criterion.</p>\n";

    html += "<h2>Compliance by criterion</h2>\n" + bar_chart(charted) + "\n";
    html += "<h2>Trend by month</h2>\n<p class=\"small\">All criteria pooled; each record counts in the month of the event it documents.</p>\n" + trend_chart(model["trend"]) + "\n";
    html += "<h2>Teams by criterion</h2>\n<p class=\"small\">Compliance (%) of each team's records; hover a cell for its count.</p>\n" + heat_map(charted) + "\n";

    html += "<h2>Criteria</h2>\n<table><thead><tr><th>Criterion</th><th>Title</th><th>Compliance</th><th>Compliant / judged</th><th>Findings (critical, warning, info)</th>"
            "<th>Overridden</th><th>Sources</th></tr></thead><tbody>\n";
    for (const auto& c : criteria) {
        std::string sources;
        for (const auto& citation : c["citations"]) sources += (sources.empty() ? "" : "; ") + escape(str(citation["framework"])) + " " + escape(str(citation["clause"]));
        const auto& f = c["findings"];
        html += "<tr><td>" + escape(str(c["id"])) + "</td><td>" + escape(str(c["title"])) + "</td><td class=\"n\">" + percent(c["rate"]) + "</td><td class=\"n\">" +
                with_commas(c["numerator"].get<std::uint64_t>()) + " / " + with_commas(c["denominator"].get<std::uint64_t>()) + "</td><td class=\"n\">" +
                with_commas(f["critical"].get<std::uint64_t>()) + ", " + with_commas(f["warning"].get<std::uint64_t>()) + ", " + with_commas(f["info"].get<std::uint64_t>()) +
                "</td><td class=\"n\">" + with_commas(c["overrides"]["count"].get<std::uint64_t>()) +
                (c["overrides"]["rate"].is_null() ? std::string() : " (" + percent(c["overrides"]["rate"]) + ")") + "</td><td class=\"small\">" + sources + "</td></tr>\n";
    }
    html += "</tbody></table>\n";

    html += "<h2>Records with the most findings</h2>\n";
    if (model["most_flagged"].empty()) {
        html += "<p>No record has a finding.</p>\n";
    } else {
        html += "<table><thead><tr><th>Case</th><th>Record</th><th>Kind</th><th>Findings</th><th>Critical</th><th>Criteria</th></tr></thead><tbody>\n";
        for (const auto& r : model["most_flagged"]) {
            std::string ids;
            for (const auto& id : r["criteria"]) ids += (ids.empty() ? "" : ", ") + escape(str(id));
            if (r.contains("prompts")) {
                for (const auto& prompt : r["prompts"]) ids += "<br><span class=\"small\">" + escape(str(prompt)) + "</span>";
            }
            html += "<tr><td>" + escape(str(r["case"])) + "</td><td>" + escape(str(r["record"])) + "</td><td>" + escape(str(r["kind"])) + "</td><td class=\"n\">" +
                    str(r["findings"]) + "</td><td class=\"n\">" + str(r["critical"]) + "</td><td>" + ids + "</td></tr>\n";
        }
        html += "</tbody></table>\n";
    }

    if (!model["rejections"].empty()) {
        html += "<h2>Input that could not be audited</h2>\n<table><thead><tr><th>Source</th><th>Line</th><th>Where</th><th>Status</th><th>Message</th></tr></thead><tbody>\n";
        for (const auto& r : model["rejections"]) {
            html += "<tr><td>" + escape(str(r["source"])) + "</td><td class=\"n\">" + str(r["line"]) + "</td><td>" + escape(r.contains("path") ? str(r["path"]) : std::string()) +
                    "</td><td>" + escape(str(r["status"])) + "</td><td>" + escape(str(r["message"])) + "</td></tr>\n";
        }
        html += "</tbody></table>\n";
    }

    html += "<h2>Reproducing this audit</h2>\n<p class=\"small\">The same input and configuration give this report byte for byte. Input: " +
            with_commas(input["lines"].get<std::uint64_t>()) + " lines, " + with_commas(input["bytes"].get<std::uint64_t>()) + " bytes, fingerprint <code>" +
            escape(str(input["fingerprint"])) + "</code>. Configuration: <code>" + escape(configuration["engine"].dump()) + "</code>, options <code>" +
            escape(configuration["options"].dump()) + "</code>.</p>\n</main></body></html>\n";
    return html;
}

}  // namespace casecheck::audit
