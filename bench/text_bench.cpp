// text_bench: Google Benchmark throughput of the text engine (plugin/src/text/)
// on one thread: TextEngine::analyse (tokenize, sentence split, sections, trie
// match, ConText) over a corpus of generated ~2 KB case notes, with tokenize()
// alone over the same notes as the in-process baseline.
//
// Unlike check_bench, this links the engine's static library (casecheck::core)
// and calls the text engine directly: no ABI crossing, no JSON, no criteria.
// The engine is built once from the lexicon of the built-in core rule pack.
//
// The corpus is synthetic and fictional. It is generated from the fragments
// below with std::mt19937 and a fixed seed; only the engine's raw output is
// used (never a std::*_distribution, whose results differ between standard
// libraries), so every run on every platform analyses byte-identical notes.
// The context block prints a digest of the corpus to show it.
#include "rule_pack.hpp"
#include "text/statements.hpp"
#include "text/tokens.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace {

using steady = std::chrono::steady_clock;

// ---- The corpus -------------------------------------------------------------

constexpr std::uint32_t kSeed = 20260306;
constexpr std::size_t kNotes = 500;
constexpr std::size_t kNominalBytes = 2048;
constexpr std::size_t kMinBytes = kNominalBytes * 9 / 10;   // 2 KB - 10%
constexpr std::size_t kMaxBytes = kNominalBytes * 11 / 10;  // 2 KB + 10%

// Placeholders, filled per note: {C} client's first name, {S} surname, {P}/{p} She/she
// or He/he, {pos}/{Pos} her/his, {obj} her/him, {R} a relative, {RN} the relative's name,
// {GP} the GP, {SCH} a school, {ORG} an agency, {W} the worker, {D} a date, {T} a time,
// {N} a small number.
struct Person {
    std::string first, surname;
    bool she = true;
    std::string relative, relative_name, gp, school, organisation, worker;
};

const std::vector<std::string> kFirstNames = {"Ada", "Bea", "Cy", "Dee", "Eli", "Zoë", "Renée", "Tomás", "Priya",
                                              "Kofi", "Mei", "Oisín", "Grace", "Hamid", "Ines", "Jonah"};
const std::vector<bool> kFirstNameIsShe = {true, true, false, true, false, true, true, false, true,
                                           false, true, false, true, false, true, false};
const std::vector<std::string> kSurnames = {"Testperson", "Samplewood", "Placeholder", "Mockford", "Demonstrator",
                                            "Exampleton", "Notreal", "Fictitious", "O’Sample", "Dummy-Jones"};
const std::vector<std::string> kRelatives = {"daughter", "son", "partner", "neighbour", "sister", "brother", "niece"};
const std::vector<std::string> kRelativeNames = {"Casey", "Jordan", "Sam", "Alex", "Robin", "Morgan", "Charlie"};
const std::vector<std::string> kGps = {"Dr Ravi Example", "Dr Ana Sampleford", "Dr Lee Notreal", "the GP practice"};
const std::vector<std::string> kSchools = {"Hollybank Primary", "St Example's Academy", "Larch Row School",
                                           "Northwind High"};
const std::vector<std::string> kOrganisations = {"Juniper Housing Association", "the falls clinic", "adult social care",
                                                 "the community mental health team", "Riverside Money Advice",
                                                 "the memory clinic", "the occupational therapy team", "Age Example"};
const std::vector<std::string> kWorkers = {"Morgan Placeholder", "Sam Placeholder", "Robin Exampleton", "Jamie Mockwell"};
const std::vector<std::string> kDates = {"3 March", "12 March", "19 March", "2 April", "03/02/2026", "14/04/2026",
                                         "Monday", "next Tuesday", "the 21st", "1 May"};
const std::vector<std::string> kTimes = {"09:30", "10:00", "10:45", "11:15", "13:30", "14:00", "15:20", "4pm"};

// The first sentence of a note.
const std::vector<std::string> kOpenings = {
    "Home visit with {C} {S} at {pos} flat, {T} to 11:30.",
    "Telephone call with {C} at {T}; {p} had asked me to ring.",
    "Seen {C} at the day centre with {pos} key worker.",
    "Joint visit with the OT to {C}’s home on {D}.",
    "Office appointment; {C} attended on time with {pos} {R} {RN}.",
    "Unannounced visit to {C} following a call from {pos} {R}.",
    "Review meeting at {C}’s home, {T}. Present: {C}, {RN} ({pos} {R}) and me.",
    "Contact note: video call with {C} {S}, {T}.",
};

// Consent, capacity, rights: affirmed, refused, withdrawn, revisited.
const std::vector<std::string> kConsent = {
    "{C} consented to share information with {pos} GP and the housing officer.",
    "{P} agreed to work with us and understands what the service offers.",
    "Consent to share with the school was not given; {C} wants to tell them {obj}self.",
    "{P} withdrew consent for us to contact {pos} landlord.",
    "Consent to engage revisited today and {p} is happy to continue.",
    "{P} has capacity to make this decision and understood the options.",
    "Discussed confidentiality and its limits; {C} said {p} understood.",
    "Explained my role, how {pos} information is stored and how to make a complaint.",
    "{C} did not want {pos} {R} told about the debt.",
    "Verbal consent given for a referral to {ORG}.",
    "{P} declined to sign the consent form but is happy to talk on the phone.",
};

// Decisions with their reasons.
const std::vector<std::string> kReferralsWithReason = {
    "Referred to the OT team because of {pos} near-fall on the stairs.",
    "Made a referral to {ORG} due to the damp in the back bedroom.",
    "Referral to the memory clinic made so that {pos} GP can review the medication.",
    "Increased support hours to four a week because {p} is struggling with meals.",
    "Arranged a carers assessment for {RN}, as {p} is now caring most days.",
    "Escalated to the duty manager given the threats from the neighbour.",
    "Support hours reduced to two a week because {p} is managing {pos} own shopping again.",
    "Booked an interpreter for the next visit to make sure {C} can follow the plan.",
    "I decided to bring the review forward in view of the recent falls.",
};

// Decisions without a reason.
const std::vector<std::string> kReferralsWithoutReason = {
    "Referred to the falls clinic.",
    "Referral made to adult social care.",
    "Arranged a carers assessment for {pos} {R}.",
    "Support hours reduced to two a week.",
    "Signposted to the food bank on Mill Lane.",
    "Referred to {ORG}.",
    "Started the benefits check with {C} today.",
    "Case allocated to {W}.",
    "Requested a copy of the discharge summary.",
    "Transferred the tenancy file to the new housing officer.",
};

// Statements about what will happen.
const std::vector<std::string> kFuture = {
    "Will refer to the dietitian if the weight loss continues.",
    "Plan to review the care plan on {D}.",
    "{P} is waiting to hear about the ground-floor transfer.",
    "To seek consent to share with the school at the next visit.",
    "I will phone {C} on {D} to see how the first week went.",
    "We may need to consider respite if {RN} becomes unwell.",
};

// Risk: current, denied, historical, about others.
const std::vector<std::string> kRisk = {
    "{P} denies thoughts of self-harm.",
    "No safeguarding concerns were identified.",
    "{C} disclosed suicidal thoughts last year but reports none now.",
    "{P} reports {pos} neighbour threatened {obj} on {D}; police informed.",
    "History of overdose in 2019, none since.",
    "Risk of falls remains high while the stair rail is loose.",
    "No evidence of neglect; the flat was clean and there was food in the fridge.",
    "{RN} is worried about financial abuse by a lodger.",
    "{P} said {p} sometimes feels like ending {pos} life when the pain is bad.",
    "Domestic abuse screening questions asked; {C} answered no to all of them.",
};

// Information passed on, or not.
const std::vector<std::string> kDisclosures = {
    "With {pos} agreement I sent a summary of the visit to {GP}.",
    "Phoned {SCH} and spoke to the head of year about attendance.",
    "Shared the risk assessment with the GP practice.",
    "Copied the letter to the housing officer.",
    "Discussed {pos} mood with the CPN at the MDT.",
    "Emailed the school nurse at {SCH} about the new inhaler.",
    "Informed {GP} of the near-fall by phone.",
    "Did not share the assessment with {ORG} as {C} asked me not to.",
    "{RN} asked for a copy of the care plan; I said I would need {C}’s permission first.",
};

// Abbreviations, doses, dates and times.
const std::vector<std::string> kAbbreviations = {
    "Pt reports SOB on exertion and uses the inhaler PRN.",
    "h/o falls x3 in the last 6/12.",
    "BP 140/90, takes amlodipine 5mg OD.",
    "Takes paracetamol 1g q.d. with breakfast.",
    "cc'd to SW and OT.",
    "Next appt {T} on 03/04/2026.",
    "Insulin 10 U at night, checked by the DN.",
    "MDT on Tues; {C} aware.",
    "Dr Ravi Example to r/v meds, e.g. the sleeping tablet.",
    "Approx. 2.5 miles to the nearest GP surgery.",
};

// The client's views and agreement.
const std::vector<std::string> kViews = {
    "{P} said {p} would like to stay at home for as long as possible.",
    "{C} agreed to the plan and signed it.",
    "{P} wants to go back to the allotment in the spring.",
    "In {pos} own words: “I just want to be left to get on with it.”",
    "{C} prefers visits in the morning because {p} tires in the afternoon.",
    "{P} did not agree with the OT’s advice about the bath board.",
};

// Wording a plain-language or bias check would look at.
const std::vector<std::string> kStigmatising = {
    "{P} refused the blood test.",
    "{C} was non-compliant with the medication over the weekend.",
    "{P} claims the carers never turn up on time.",
    "Described by the ward as difficult and demanding.",
    "{C} declined the flu jab.",
};

// Nothing the engine looks for, or only its pseudo-triggers and near misses.
const std::vector<std::string> kDistractors = {
    "The weather was cold and {p} had the heating on.",
    "We talked about the football results.",
    "The cat was asleep on the sofa for the whole visit.",
    "{P} made a cup of tea and showed me photos of {pos} grandchildren.",
    "The lift in the block was out of order again, so I used the stairs.",
    "Parking on Larch Row was difficult as usual.",
    "{P} had been given a new phone for {pos} birthday.",
    "As agreed, the radio was off during the visit.",
    "{P} was watching the racing on TV when I arrived.",
    "The hallway has been repainted since my last visit — it looks much brighter.",
    "{C} mentioned that the corner shop now sells fresh bread.",
    "There was a parcel for the neighbour, which {p} took in.",
    "{P} spent £20 on the gas meter this week.",
};

// Background and other people's views, for their sections.
const std::vector<std::string> kHistory = {
    "Previous involvement with the CMHT in 2021.",
    "Lost {pos} partner two years ago and has lived alone since.",
    "Moved to the area in 2018 from Example Bay.",
    "Was referred to the falls clinic in 2023 after a fracture.",
};
const std::vector<std::string> kFamilyViews = {
    "{RN} feels {p} is not coping and would like more support.",
    "{Pos} {R} thinks a care home would be safer.",
    "{RN} said {C} has been forgetting meals.",
};

struct Heading {
    const char* title;
    const std::vector<std::string>* items;
};
const std::vector<Heading> kHeadings = {
    {"Plan:", &kFuture},          {"Next steps:", &kReferralsWithoutReason}, {"Risk:", &kRisk},
    {"Background:", &kHistory},   {"Family view:", &kFamilyViews},           {"Medication:", &kAbbreviations},
    {"Summary:", &kDistractors},  {"Consent:", &kConsent},
};

// A paragraph's sentence kinds and how often each is drawn (out of the sum).
struct Weighted {
    const std::vector<std::string>* pool;
    unsigned weight;
};
const std::vector<Weighted> kSentenceMix = {
    {&kConsent, 9},      {&kReferralsWithReason, 8}, {&kReferralsWithoutReason, 7}, {&kFuture, 6},
    {&kRisk, 8},         {&kDisclosures, 9},         {&kAbbreviations, 6},          {&kViews, 7},
    {&kStigmatising, 3}, {&kDistractors, 16},
};

class NoteWriter {
public:
    explicit NoteWriter(std::mt19937& rng) : rng_(rng) {}

    std::string write() {
        const std::size_t person_index = pick(kFirstNames.size());
        person_ = Person{kFirstNames[person_index],
                         any(kSurnames),
                         kFirstNameIsShe[person_index],
                         any(kRelatives),
                         any(kRelativeNames),
                         any(kGps),
                         any(kSchools),
                         any(kOrganisations),
                         any(kWorkers)};
        // Some notes come from systems that keep "\r\n", some are hard-wrapped at ~76 columns.
        newline_ = pick(20) == 0 ? "\r\n" : "\n";
        const bool wrapped = pick(5) == 0;
        const std::size_t target = kMinBytes + pick(kMaxBytes - kMinBytes + 1);

        used_.clear();
        note_ = fill(any(kOpenings));
        std::size_t paragraph_sentences = 1 + pick(3);
        int misses = 0;
        while (note_.size() < target && misses < 40) {
            std::string block;
            if (paragraph_sentences == 0) {
                paragraph_sentences = 2 + pick(5);
                // A new paragraph; a third of them open with a heading on its own line and a short list.
                block = newline_ + newline_;
                if (pick(3) == 0) {
                    const Heading& heading = kHeadings[pick(kHeadings.size())];
                    block += heading.title + newline_;
                    const std::size_t items = 1 + pick(3);
                    const char* bullet = pick(3) == 0 ? "• " : pick(2) == 0 ? "- " : nullptr;
                    for (std::size_t i = 0; i < items; ++i) {
                        if (i > 0) block += newline_;
                        block += bullet ? std::string(bullet) : std::to_string(i + 1) + ". ";
                        block += fill(fresh(*heading.items));
                    }
                    block += newline_ + newline_;
                    paragraph_sentences = 1 + pick(4);
                }
            } else {
                block = " ";
            }
            block += fill(sentence());
            if (note_.size() + block.size() > kMaxBytes) {
                ++misses;  // too long to fit: try another
                continue;
            }
            note_ += block;
            --paragraph_sentences;
        }
        if (wrapped) wrap(76);
        return note_;
    }

private:
    std::size_t pick(std::size_t n) { return static_cast<std::size_t>(rng_() % n); }
    const std::string& any(const std::vector<std::string>& pool) { return pool[pick(pool.size())]; }
    // A sentence this note has not used yet, if a few draws find one: real notes do not repeat themselves.
    const std::string& fresh(const std::vector<std::string>& pool) {
        for (int attempt = 0; attempt < 8; ++attempt) {
            const std::string& candidate = any(pool);
            if (used_.insert(&candidate).second) return candidate;
        }
        return any(pool);
    }

    const std::string& sentence() {
        unsigned total = 0;
        for (const auto& kind : kSentenceMix) total += kind.weight;
        auto draw = static_cast<unsigned>(pick(total));
        for (const auto& kind : kSentenceMix) {
            if (draw < kind.weight) return fresh(*kind.pool);
            draw -= kind.weight;
        }
        return fresh(kDistractors);
    }

    std::string fill(const std::string& pattern) {
        std::string out;
        for (std::size_t i = 0; i < pattern.size(); ++i) {
            if (pattern[i] != '{') {
                out += pattern[i];
                continue;
            }
            const std::size_t close = pattern.find('}', i);
            const std::string_view key = std::string_view(pattern).substr(i + 1, close - i - 1);
            out += value(key);
            i = close;
        }
        return out;
    }

    std::string value(std::string_view key) {
        const Person& c = person_;
        if (key == "C") return c.first;
        if (key == "S") return c.surname;
        if (key == "P") return c.she ? "She" : "He";
        if (key == "p") return c.she ? "she" : "he";
        if (key == "pos") return c.she ? "her" : "his";
        if (key == "Pos") return c.she ? "Her" : "His";
        if (key == "obj") return c.she ? "her" : "him";
        if (key == "R") return c.relative;
        if (key == "RN") return c.relative_name;
        if (key == "GP") return c.gp;
        if (key == "SCH") return c.school;
        if (key == "ORG") return c.organisation;
        if (key == "W") return c.worker;
        if (key == "D") return any(kDates);
        if (key == "T") return any(kTimes);
        if (key == "N") return std::to_string(2 + pick(9));
        return std::string(key);
    }

    // Hard-wraps long lines at a space before `width` bytes; the size does not change.
    void wrap(std::size_t width) {
        std::size_t line_start = 0;
        std::size_t last_space = std::string::npos;
        for (std::size_t i = 0; i < note_.size(); ++i) {
            if (note_[i] == '\n') {
                line_start = i + 1;
                last_space = std::string::npos;
            } else if (note_[i] == ' ') {
                if (i - line_start >= width && last_space != std::string::npos) {
                    note_[last_space] = '\n';
                    line_start = last_space + 1;
                }
                last_space = i;
            }
        }
    }

    std::mt19937& rng_;
    Person person_;
    std::string newline_;
    std::string note_;
    std::set<const std::string*> used_;  // the fragments this note has used
};

std::vector<std::string> build_corpus() {
    std::mt19937 rng(kSeed);
    NoteWriter writer(rng);
    std::vector<std::string> notes;
    std::set<std::string> distinct;
    // Duplicates and notes outside 2 KB +- 10% are drawn again (the draw stays deterministic).
    while (notes.size() < kNotes) {
        std::string note = writer.write();
        if (note.size() < kMinBytes || note.size() > kMaxBytes || !distinct.insert(note).second) continue;
        notes.push_back(std::move(note));
    }
    return notes;
}

// ---- Shared state -------------------------------------------------------------

struct Fixture {
    std::vector<std::string> notes;
    std::int64_t corpus_bytes = 0;
    std::optional<casecheck::text::TextEngine> engine;
    std::size_t statements = 0;  // over the whole corpus, for the context block
    std::size_t terms = 0;
    std::size_t sentences = 0;
    std::size_t tokens = 0;
    std::string error;  // non-empty when setup failed
};

Fixture make_fixture() {
    Fixture f;
    try {
        f.notes = build_corpus();
        for (const auto& note : f.notes) f.corpus_bytes += static_cast<std::int64_t>(note.size());
        auto pack = casecheck::read_rule_pack(*casecheck::builtin_rule_pack_xml("core"), "built-in pack core");
        if (!pack.ok()) {
            f.error = "the core pack did not load: " + pack.failure().message;
            return f;
        }
        f.engine.emplace(std::move(pack.value().lexicon));
        for (const auto& note : f.notes) {
            const auto analysis = f.engine->analyse(note);
            f.statements += analysis.statements.size();
            f.terms += analysis.terms.size();
            f.sentences += analysis.sentences.size();
            f.tokens += analysis.tokens.size();
        }
        if (f.statements == 0) f.error = "the engine found no statements in the corpus";
    } catch (const std::exception& e) {
        f.error = e.what();
    }
    return f;
}

const Fixture& shared() {
    static const Fixture f = make_fixture();
    return f;
}

// ---- Benchmarks ---------------------------------------------------------------

// One note per iteration, cycling through the corpus in order, so every note is read
// equally often and the working set is the whole corpus (about 1 MB), not one hot note.
// items_per_second is notes per second; bytes_per_second is note text.
template <class Work>
void per_note(benchmark::State& state, Work&& work) {
    const Fixture& f = shared();
    std::size_t next = 0;
    std::int64_t bytes = 0;
    for (auto _ : state) {
        const std::string& note = f.notes[next];
        work(note);
        bytes += static_cast<std::int64_t>(note.size());
        if (++next == f.notes.size()) next = 0;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.SetBytesProcessed(bytes);
}

// The whole pipeline: tokenize, sentence split, sections, trie match, ConText.
void BM_text_analyse(benchmark::State& state) {
    const auto& engine = *shared().engine;
    per_note(state, [&engine](const std::string& note) {
        auto analysis = engine.analyse(note);
        benchmark::DoNotOptimize(analysis.statements.data());
    });
}
BENCHMARK(BM_text_analyse)->Unit(benchmark::kMicrosecond)->UseRealTime();

// The baseline: tokenize() alone, which analyse() starts with.
void BM_text_tokenize(benchmark::State& state) {
    per_note(state, [](const std::string& note) {
        auto tokens = casecheck::text::tokenize(note);
        benchmark::DoNotOptimize(tokens.data());
    });
}
BENCHMARK(BM_text_tokenize)->Unit(benchmark::kMicrosecond)->UseRealTime();

// analyse and tokenize alternated note by note, each timed on its own, so both figures
// come from the same machine conditions (see BM_check_vs_parse in check_bench.cpp).
// ratio is analyse time / tokenize time over the same notes.
void BM_text_analyse_vs_tokenize(benchmark::State& state) {
    const Fixture& f = shared();
    const auto& engine = *f.engine;
    std::size_t next = 0;
    double analyse_ns = 0;
    double tokenize_ns = 0;
    for (auto _ : state) {
        const std::string& note = f.notes[next];
        const auto t0 = steady::now();
        {
            auto analysis = engine.analyse(note);
            benchmark::DoNotOptimize(analysis.statements.data());
        }
        const auto t1 = steady::now();
        {
            auto tokens = casecheck::text::tokenize(note);
            benchmark::DoNotOptimize(tokens.data());
        }
        const auto t2 = steady::now();
        analyse_ns += std::chrono::duration<double, std::nano>(t1 - t0).count();
        tokenize_ns += std::chrono::duration<double, std::nano>(t2 - t1).count();
        if (++next == f.notes.size()) next = 0;
    }
    const auto notes = static_cast<double>(state.iterations());
    if (notes == 0 || tokenize_ns == 0) return;
    state.counters["analyse_us"] = analyse_ns / notes / 1000.0;
    state.counters["tokenize_us"] = tokenize_ns / notes / 1000.0;
    state.counters["ratio"] = analyse_ns / tokenize_ns;
}
BENCHMARK(BM_text_analyse_vs_tokenize)->Unit(benchmark::kMicrosecond)->UseRealTime();

// FNV-1a 64 over the corpus, so two runs can show they read the same notes.
std::string corpus_digest(const std::vector<std::string>& notes) {
    std::uint64_t hash = 0xcbf29ce484222325ull;
    for (const auto& note : notes) {
        for (const char c : note) {
            hash ^= static_cast<unsigned char>(c);
            hash *= 0x100000001b3ull;
        }
        hash ^= 0xFF;  // note separator
        hash *= 0x100000001b3ull;
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return hex;
}

std::string per_note_figure(std::size_t total, std::size_t notes) {
    char figure[32];
    std::snprintf(figure, sizeof figure, "%.1f", static_cast<double>(total) / static_cast<double>(notes));
    return figure;
}

}  // namespace

int main(int argc, char** argv) {
    // --dump_notes prints the corpus (each note after a "--- note N (B bytes)" line) and exits.
    for (int i = 1; i < argc; ++i) {
        if (std::string(argv[i]) == "--dump_notes") {
            const auto notes = build_corpus();
            for (std::size_t n = 0; n < notes.size(); ++n) {
                std::printf("--- note %zu (%zu bytes)\n%s\n", n, notes[n].size(), notes[n].c_str());
            }
            return 0;
        }
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

    const Fixture& f = shared();
    if (!f.error.empty()) {
        std::fprintf(stderr, "casecheck_text_bench: setup failed: %s\n", f.error.c_str());
        return 1;
    }
    std::size_t shortest = f.notes.front().size();
    std::size_t longest = shortest;
    for (const auto& note : f.notes) {
        shortest = std::min(shortest, note.size());
        longest = std::max(longest, note.size());
    }
    benchmark::AddCustomContext("corpus_notes", std::to_string(f.notes.size()));
    benchmark::AddCustomContext("corpus_bytes", std::to_string(f.corpus_bytes) + " (notes of " + std::to_string(shortest) +
                                                    " to " + std::to_string(longest) + " bytes)");
    benchmark::AddCustomContext("corpus_fnv1a64", corpus_digest(f.notes));
    benchmark::AddCustomContext("per_note", per_note_figure(f.tokens, f.notes.size()) + " tokens, " +
                                                per_note_figure(f.sentences, f.notes.size()) + " sentences, " +
                                                per_note_figure(f.statements, f.notes.size()) + " statements, " +
                                                per_note_figure(f.terms, f.notes.size()) + " term hits");
    benchmark::AddCustomContext("lexicon", "built-in pack core");

    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
