// Precision and recall of the text engine on the annotated corpus (tests/text/corpus/).
//
// A statement counts as found when the engine reports the same target label with the
// same status modifiers (and, for a disclosure, the same recipient) in the same item.
// REPORTED is measured but left out of that key: it changes a statement's weight, not
// whether it holds. The development and held-back portions are reported one by one.
//
// The bar is precision 0.90 and recall 0.85 for every target type over the whole corpus.
// A type that does not reach it yet is listed in CORPUS_DIR/shortfalls.json with the
// floor it has reached; the run fails when a type falls below the bar without being
// listed, when a listed type falls below its floor, and when a listed type now meets
// the bar (so the list only ever shrinks).
//
// usage: casecheck_text_accuracy CORPUS_DIR [--errors dev]   (list the dev items the engine gets wrong)
//        casecheck_text_accuracy --explain TEXT             (what the engine reads in one text)
#include "rule_pack.hpp"
#include "text/statements.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace {

using casecheck::text::TextEngine;

constexpr double precision_bar = 0.90;
constexpr double recall_bar = 0.85;
constexpr std::size_t minimum_sentences = 400;

struct Item {
    std::string id;
    std::string text;
    std::multiset<std::string> expected;  // keys
    std::multiset<std::pair<std::string, std::string>> expected_modifiers;  // (label, modifier)
};

// The 95% Wilson score interval of successes out of trials. A type has a few dozen statements in the held-back
// table and at most a few hundred in the whole corpus, so its rate is an estimate with a width worth printing;
// Wilson's interval stays inside [0, 1] and is sound at these sizes, where the normal approximation is not
// (Newcombe 1998). With no trials, nothing is known: [0, 1].
std::pair<double, double> wilson_interval(std::size_t successes, std::size_t trials) {
    if (trials == 0) return {0.0, 1.0};
    constexpr double z = 1.959964;  // the 97.5th percentile of the standard normal
    const double n = double(trials), p = double(successes) / n, z2 = z * z;
    const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    const double half_width = z / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    return {std::max(0.0, centre - half_width), std::min(1.0, centre + half_width)};
}

struct Tally {
    std::size_t found = 0, spurious = 0, missed = 0;
    double precision() const { return found + spurious == 0 ? 1.0 : double(found) / double(found + spurious); }
    double recall() const { return found + missed == 0 ? 1.0 : double(found) / double(found + missed); }
    std::pair<double, double> precision_interval() const { return wilson_interval(found, found + spurious); }
    std::pair<double, double> recall_interval() const { return wilson_interval(found, found + missed); }
};

std::string key_of(const std::string& label, std::vector<std::string> modifiers, const std::string& recipient) {
    std::sort(modifiers.begin(), modifiers.end());
    std::string key = label + " [";
    bool first = true;
    for (const auto& m : modifiers) {
        if (m == "REPORTED") continue;
        key += (first ? "" : " ") + m;
        first = false;
    }
    key += "]";
    if (label == "DISCLOSURE") key += " -> " + recipient;
    return key;
}

std::string label_of(const std::string& key) { return key.substr(0, key.find(' ')); }

std::vector<Item> read_corpus(const std::string& path) {
    std::vector<Item> items;
    std::ifstream in(path);
    if (!in) {
        std::cerr << "cannot read " << path << "\n";
        std::exit(2);
    }
    std::string line;
    std::size_t number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (line.empty()) continue;
        const auto json = nlohmann::json::parse(line, nullptr, false);
        if (json.is_discarded() || !json.contains("text") || !json.contains("expect")) {
            std::cerr << path << ":" << number << ": not a corpus item\n";
            std::exit(2);
        }
        Item item;
        item.id = json.value("id", "");
        item.text = json.at("text").get<std::string>();
        for (const auto& expect : json.at("expect")) {
            const auto modifiers = expect.value("modifiers", std::vector<std::string>{});
            const auto label = expect.at("target").get<std::string>();
            item.expected.insert(key_of(label, modifiers, expect.value("recipient", "other")));
            for (const auto& m : modifiers) item.expected_modifiers.insert({label, m});
        }
        items.push_back(std::move(item));
    }
    return items;
}

template <typename T>
std::multiset<T> common(const std::multiset<T>& a, const std::multiset<T>& b) {
    std::multiset<T> both;
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::inserter(both, both.begin()));
    return both;
}

struct Score {
    std::map<std::string, Tally> targets;
    std::map<std::string, Tally> labels_only;  // the same count on the label alone, modifiers and recipient aside
    std::map<std::string, Tally> modifiers;
    std::size_t sentences = 0;
    std::size_t items = 0;
};

// Adds one item's matches to the tallies, each under the name name_of gives it.
template <typename T, typename NameOf>
void tally(std::map<std::string, Tally>& tallies, const std::multiset<T>& found, const std::multiset<T>& expected, NameOf name_of) {
    const auto hits = common(found, expected);
    for (const auto& x : found) ++tallies[name_of(x)].spurious;
    for (const auto& x : expected) ++tallies[name_of(x)].missed;
    for (const auto& x : hits) {
        Tally& t = tallies[name_of(x)];
        ++t.found;
        --t.spurious;
        --t.missed;
    }
}

// Reads the item once and adds it to each of `scores` (its portion, its file, the whole corpus).
void score_item(const TextEngine& engine, const Item& item, std::initializer_list<Score*> scores, bool show_errors) {
    const auto analysis = engine.analyse(item.text);
    std::multiset<std::string> found;
    std::multiset<std::pair<std::string, std::string>> found_modifiers;
    for (const auto& statement : analysis.statements) {
        found.insert(key_of(statement.label(), statement.modifiers, statement.recipient));
        for (const auto& m : statement.modifiers) found_modifiers.insert({statement.label(), m});
    }
    std::multiset<std::string> found_labels, expected_labels;
    for (const auto& key : found) found_labels.insert(label_of(key));
    for (const auto& key : item.expected) expected_labels.insert(label_of(key));
    for (Score* score : scores) {
        score->sentences += analysis.sentences.size();
        ++score->items;
        tally(score->targets, found, item.expected, [](const std::string& key) { return label_of(key); });
        tally(score->labels_only, found_labels, expected_labels, [](const std::string& label) { return label; });
        tally(score->modifiers, found_modifiers, item.expected_modifiers, [](const auto& label_and_modifier) { return label_and_modifier.second; });
    }

    const auto hits = common(found, item.expected);
    std::multiset<std::string> spurious, missed;
    std::set_difference(found.begin(), found.end(), hits.begin(), hits.end(), std::inserter(spurious, spurious.begin()));
    std::set_difference(item.expected.begin(), item.expected.end(), hits.begin(), hits.end(), std::inserter(missed, missed.begin()));
    if (show_errors && (!spurious.empty() || !missed.empty())) {
        std::cout << item.id << ": " << item.text << "\n";
        for (const auto& key : missed) std::cout << "    missed   " << key << "\n";
        for (const auto& key : spurious) std::cout << "    spurious " << key << "\n";
    }
}

void print_table(const std::string& title, const Score& score) {
    std::printf("\n%s: %zu items, %zu sentences\n", title.c_str(), score.items, score.sentences);
    std::printf("  %-18s %6s %6s %6s %9s %7s   %-18s  %s\n", "target", "found", "extra", "missed", "precision", "recall", "label alone: P / R",
                "95% interval: P | R");
    for (const auto& [label, tally] : score.targets) {
        const Tally& alone = score.labels_only.at(label);
        const auto [p_low, p_high] = tally.precision_interval();
        const auto [r_low, r_high] = tally.recall_interval();
        std::printf("  %-18s %6zu %6zu %6zu %9.3f %7.3f   %.3f / %.3f     %.2f-%.2f | %.2f-%.2f\n", label.c_str(), tally.found, tally.spurious,
                    tally.missed, tally.precision(), tally.recall(), alone.precision(), alone.recall(), p_low, p_high, r_low, r_high);
    }
    std::printf("  %-18s %6s %6s %6s %9s %7s\n", "modifier", "found", "extra", "missed", "precision", "recall");
    for (const auto& [category, tally] : score.modifiers) {
        std::printf("  %-18s %6zu %6zu %6zu %9.3f %7.3f\n", category.c_str(), tally.found, tally.spurious, tally.missed, tally.precision(), tally.recall());
    }
}

}  // namespace

int main(int argc, char** argv) {
    // Two values worked by hand: with no successes in 10 trials the upper bound is z^2 / (n + z^2) = 0.2775,
    // and with 10 in 10 the lower bound is n / (n + z^2) = 0.7225.
    if (std::abs(wilson_interval(0, 10).second - 0.2775) > 1e-4 || std::abs(wilson_interval(10, 10).first - 0.7225) > 1e-4) {
        std::cerr << "FAIL the Wilson interval is miscomputed\n";
        return 2;
    }
    if (argc < 2) {
        std::cerr << "usage: casecheck_text_accuracy CORPUS_DIR [--errors dev]\n";
        return 2;
    }
    if (std::string(argv[1]) == "--explain" && argc >= 3) {
        auto pack = casecheck::read_rule_pack(*casecheck::builtin_rule_pack_xml("core"), "built-in pack core");
        if (!pack.ok()) {
            std::cerr << pack.failure().message << "\n";
            return 2;
        }
        const TextEngine engine(pack.value().lexicon);  // the analysis points into it
        const auto analysis = engine.analyse(argv[2]);
        for (const auto& statement : analysis.statements) {
            const bool reported = std::count(statement.modifiers.begin(), statement.modifiers.end(), "REPORTED") > 0;
            std::cout << key_of(statement.label(), statement.modifiers, statement.recipient) << (reported ? " REPORTED" : "") << "  sentence " << statement.sentence << "  \""
                      << std::string(argv[2]).substr(statement.begin, statement.end - statement.begin) << "\"\n";
        }
        for (const auto& term : analysis.terms) std::cout << "term " << term.rule->kind << " \"" << term.rule->phrase << "\"  sentence " << term.sentence << "\n";
        return 0;
    }
    const std::string dir = argv[1];
    const bool show_dev_errors = argc >= 4 && std::string(argv[2]) == "--errors" && std::string(argv[3]) == "dev";

    auto pack = casecheck::read_rule_pack(*casecheck::builtin_rule_pack_xml("core"), "built-in pack core");
    if (!pack.ok()) {
        std::cerr << pack.failure().message << "\n";
        return 2;
    }
    const TextEngine engine(pack.value().lexicon);

    // Each author's file is its own part: dev*.jsonl are read while tuning, heldback*.jsonl never.
    std::vector<std::filesystem::path> files;
    std::error_code listing_failure;
    std::filesystem::directory_iterator listing(dir, listing_failure);
    if (listing_failure) {
        std::cerr << "cannot list the corpus directory " << dir << ": " << listing_failure.message() << "\n";
        return 2;
    }
    for (const auto& entry : listing) {
        const auto name = entry.path().filename().string();
        if (entry.path().extension() == ".jsonl" && (name.rfind("dev", 0) == 0 || name.rfind("heldback", 0) == 0)) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    Score dev, heldback, all;
    std::vector<std::pair<std::string, Score>> parts;
    for (const auto& file : files) {
        const bool is_dev = file.filename().string().rfind("dev", 0) == 0;
        Score& part = parts.emplace_back(file.filename().string(), Score{}).second;
        for (const auto& item : read_corpus(file.string())) {
            score_item(engine, item, {is_dev ? &dev : &heldback, &part, &all}, show_dev_errors && is_dev);
        }
    }
    std::printf("by file (all target types together):\n");
    for (const auto& [name, part] : parts) {
        Tally total;
        for (const auto& [label, tally] : part.targets) {
            total.found += tally.found;
            total.spurious += tally.spurious;
            total.missed += tally.missed;
        }
        std::printf("  %-22s %4zu items  precision %.3f  recall %.3f\n", name.c_str(), part.items, total.precision(), total.recall());
    }
    print_table("development portion (lexicons tuned on it)", dev);
    print_table("held-back portion (never read while tuning)", heldback);
    print_table("whole corpus", all);

    std::map<std::string, std::pair<double, double>> floors;  // type -> (precision, recall) reached so far
    {
        std::ifstream in(dir + "/shortfalls.json");
        if (in) {
            const auto json = nlohmann::json::parse(in, nullptr, false);
            if (json.is_discarded() || !json.is_object()) {
                std::cerr << dir << "/shortfalls.json: not a JSON object of {type: {precision, recall}}\n";
                return 2;
            }
            for (const auto& [label, floor] : json.items()) floors[label] = {floor.at("precision").get<double>(), floor.at("recall").get<double>()};
        }
    }

    bool pass = true;
    for (const auto& [label, tally] : all.targets) {
        const bool meets_bar = tally.precision() >= precision_bar && tally.recall() >= recall_bar;
        const auto floor = floors.find(label);
        if (floor == floors.end()) {
            if (!meets_bar) {
                std::printf("FAIL %s: precision %.3f (bar %.2f), recall %.3f (bar %.2f)\n", label.c_str(), tally.precision(), precision_bar,
                            tally.recall(), recall_bar);
                pass = false;
            }
        } else if (meets_bar) {
            std::printf("FAIL %s now meets the bar: remove it from shortfalls.json\n", label.c_str());
            pass = false;
        } else if (tally.precision() + 1e-9 < floor->second.first || tally.recall() + 1e-9 < floor->second.second) {
            std::printf("FAIL %s fell below its floor: precision %.3f (floor %.3f), recall %.3f (floor %.3f)\n", label.c_str(),
                        tally.precision(), floor->second.first, tally.recall(), floor->second.second);
            pass = false;
        } else {
            // Whether the shortfall could be the corpus's sampling alone: the bar inside both 95% intervals.
            const bool bar_within_interval = tally.precision_interval().second >= precision_bar && tally.recall_interval().second >= recall_bar;
            std::printf("BELOW BAR (known shortfall) %s: precision %.3f, recall %.3f; %s\n", label.c_str(), tally.precision(), tally.recall(),
                        bar_within_interval ? "the bar lies within the 95% intervals" : "below the bar beyond sampling error");
        }
    }
    if (all.sentences < minimum_sentences) {
        std::printf("FAIL the corpus has %zu sentences; it needs at least %zu\n", all.sentences, minimum_sentences);
        pass = false;
    }
    std::printf("%s\n", !pass ? "FAIL" : floors.empty() ? "PASS every target type meets precision >= 0.90 and recall >= 0.85"
                                                       : "PASS no regression; the types listed as shortfalls still miss the bar");
    return pass ? 0 : 1;
}
