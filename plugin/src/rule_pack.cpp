#include "rule_pack.hpp"

#include "casecheck/model/text_position.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <initializer_list>
#include <set>

namespace casecheck {

// The built-in packs, generated from plugin/rulepacks/*.xml at configure time.
extern const std::vector<std::pair<std::string_view, std::string_view>> builtin_rule_packs;

namespace {

// Packs may extend packs; a chain this long means a cycle.
constexpr int max_extends_depth = 8;

std::optional<Severity> severity_from(std::string_view name) {
    for (auto severity : {Severity::info, Severity::warning, Severity::critical}) {
        if (severity_name(severity) == name) return severity;
    }
    return std::nullopt;
}

bool is_pack_id(std::string_view id) {
    return !id.empty() && id.size() <= 64 &&
           std::all_of(id.begin(), id.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

// A criterion id: two to four capitals, a dash, two digits ("RK-01", "ORG-12").
bool is_criterion_id(std::string_view id) {
    const auto dash = id.find('-');
    if (dash < 2 || dash > 4 || id.size() != dash + 3) return false;
    for (std::size_t i = 0; i < id.size(); ++i) {
        const char c = id[i];
        const bool ok = i < dash ? (c >= 'A' && c <= 'Z') : i == dash ? c == '-' : (c >= '0' && c <= '9');
        if (!ok) return false;
    }
    return true;
}

// The {names} used in a message template.
std::vector<std::string> placeholders_in(std::string_view text) {
    std::vector<std::string> names;
    for (auto open = text.find('{'); open != std::string_view::npos; open = text.find('{', open + 1)) {
        const auto close = text.find('}', open);
        if (close == std::string_view::npos) break;
        names.emplace_back(text.substr(open + 1, close - open - 1));
    }
    return names;
}

// A built-in lexicon file: <lexicon id="..." format="1"> holding entries.
Result<text::Lexicon> builtin_lexicon(std::string_view id) {
    const auto xml = text::builtin_lexicon_xml(id);
    const std::string source = "built-in lexicon " + std::string(id);
    if (!xml) return Failure{CASECHECK_E_CONFIG, source + " does not exist"};
    const auto error_at = [&](std::ptrdiff_t offset, const std::string& message) {
        return Failure{CASECHECK_E_CONFIG, source + ", " + model::text_position(*xml, static_cast<std::size_t>(std::max<std::ptrdiff_t>(offset, 0))) + ": " + message};
    };
    pugi::xml_document document;
    const pugi::xml_parse_result parsed = document.load_buffer(xml->data(), xml->size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) return error_at(parsed.offset, std::string("not well-formed XML: ") + parsed.description());
    const pugi::xml_node root = document.document_element();
    if (std::string_view(root.name()) != "lexicon") return error_at(root.offset_debug(), "the root element must be <lexicon>");
    text::Lexicon lexicon;
    if (auto error = text::read_lexicon_entries(root, lexicon)) return error_at(error->offset, error->message);
    return lexicon;
}

class PackReader {
public:
    PackReader(std::string_view xml, const std::string& source, int depth) : xml_(xml), source_(source), depth_(depth) {}

    Result<RulePack> read() {
        pugi::xml_document document;
        const pugi::xml_parse_result parsed = document.load_buffer(xml_.data(), xml_.size(), pugi::parse_default, pugi::encoding_utf8);
        if (!parsed) {
            return error_at_offset(static_cast<std::size_t>(std::max<std::ptrdiff_t>(parsed.offset, 0)),
                                   std::string("not well-formed XML: ") + parsed.description());
        }
        const pugi::xml_node root = document.document_element();
        if (std::string_view(root.name()) != "rule-pack") return error_at(root, "the root element must be <rule-pack>");
        if (auto failure = only_attributes(root, {"id", "format", "version", "extends"})) return *failure;
        if (std::string_view(root.attribute("format").value()) != "1") {
            return error_at(root, "format must be \"1\" (the rule-pack format this plugin reads)");
        }

        RulePack pack;
        pack.id = root.attribute("id").value();
        if (!is_pack_id(pack.id)) return error_at(root, "id must be lower-case letters, digits and dashes");
        pack.version = root.attribute("version").value();
        if (const auto extends = root.attribute("extends")) {
            auto parent = read_parent(root, extends.value());
            if (!parent.ok()) return parent.failure();
            pack.criteria = std::move(parent.value().criteria);
            pack.lexicon = std::move(parent.value().lexicon);
        } else {
            auto lexicon = builtin_lexicon("en");
            if (!lexicon.ok()) return lexicon.failure();
            pack.lexicon = std::move(lexicon.value());
        }

        for (const pugi::xml_node child : root.children()) {
            if (child.type() != pugi::node_element) continue;
            const std::string_view name = child.name();
            if (name == "title") {
                if (auto failure = only_attributes(child, {})) return *failure;
                pack.title = child.text().get();
            } else if (name == "criterion") {
                if (auto failure = read_criterion(child, pack)) return *failure;
            } else if (name == "lexicon") {
                if (auto failure = read_lexicon(child, pack)) return *failure;
            } else if (name == "remove") {
                if (auto failure = only_attributes(child, {"criterion"})) return *failure;
                const std::string id = child.attribute("criterion").value();
                const auto before = pack.criteria.size();
                pack.criteria.erase(std::remove_if(pack.criteria.begin(), pack.criteria.end(),
                                                   [&](const PackCriterion& c) { return c.id == id; }),
                                    pack.criteria.end());
                if (pack.criteria.size() == before) return error_at(child, "removes criterion " + id + ", which the pack does not have");
            } else {
                return error_at(child, "unknown element <" + std::string(name) + ">");
            }
        }
        return pack;
    }

private:
    Result<RulePack> read_parent(pugi::xml_node root, std::string_view parent_id) {
        if (depth_ >= max_extends_depth) return error_at(root, "extends packs more than " + std::to_string(max_extends_depth) + " deep (a cycle?)");
        const auto parent_xml = builtin_rule_pack_xml(parent_id);
        if (!parent_xml) return error_at(root, "extends " + std::string(parent_id) + ", which is not a built-in pack");
        return PackReader(*parent_xml, "built-in pack " + std::string(parent_id), depth_ + 1).read();
    }

    // <lexicon> extends the inherited lexicon; base="en" or base="none" starts again from that.
    std::optional<Failure> read_lexicon(pugi::xml_node node, RulePack& pack) {
        if (auto failure = only_attributes(node, {"base"})) return failure;
        if (const auto base = node.attribute("base")) {
            if (std::string_view(base.value()) == "none") {
                pack.lexicon = text::Lexicon{};
            } else {
                if (!text::builtin_lexicon_xml(base.value())) return error_at(node, "base " + std::string(base.value()) + " is not a built-in lexicon (en, or none)");
                auto lexicon = builtin_lexicon(base.value());
                if (!lexicon.ok()) return lexicon.failure();
                pack.lexicon = std::move(lexicon.value());
            }
        }
        if (auto error = text::read_lexicon_entries(node, pack.lexicon)) return error_at_offset(static_cast<std::size_t>(std::max<std::ptrdiff_t>(error->offset, 0)), error->message);
        return std::nullopt;
    }

    std::optional<Failure> read_criterion(pugi::xml_node node, RulePack& pack) {
        if (auto failure = only_attributes(node, {"id", "check", "title"})) return failure;
        const std::string id = node.attribute("id").value();
        if (!is_criterion_id(id)) return error_at(node, "criterion id must look like RK-01 (two to four capitals, a dash, two digits)");

        auto existing = std::find_if(pack.criteria.begin(), pack.criteria.end(), [&](const PackCriterion& c) { return c.id == id; });
        const bool overriding = existing != pack.criteria.end();
        if (overriding && !declared_here_.insert(id).second) return error_at(node, "criterion " + id + " is declared twice");
        if (!overriding) declared_here_.insert(id);

        PackCriterion criterion = overriding ? *existing : PackCriterion{};
        criterion.id = id;
        if (const auto check = node.attribute("check")) {
            const CheckKind* kind = find_check_kind(check.value());
            if (kind == nullptr) return error_at(node, "unknown check \"" + std::string(check.value()) + "\"");
            if (overriding && kind != criterion.kind) {
                // A new check kind invalidates what was configured for the old one.
                criterion.parameters.clear();
                criterion.messages.clear();
            }
            criterion.kind = kind;
        } else if (!overriding) {
            return error_at(node, "criterion " + id + " needs a check attribute");
        }
        if (const auto title = node.attribute("title")) criterion.title = title.value();

        bool cites_given = false;
        for (const pugi::xml_node child : node.children()) {
            if (child.type() != pugi::node_element) continue;
            const std::string_view name = child.name();
            if (name == "parameter") {
                if (auto failure = read_parameter(child, criterion)) return failure;
            } else if (name == "cite") {
                if (auto failure = only_attributes(child, {"framework", "clause"})) return failure;
                if (!cites_given) criterion.citations.clear();  // a pack's own citations replace inherited ones
                cites_given = true;
                const std::string framework = child.attribute("framework").value();
                const std::string clause = child.attribute("clause").value();
                if (framework.empty() || clause.empty()) return error_at(child, "a cite needs a framework and a clause");
                criterion.citations.push_back({framework, clause});
            } else if (name == "message") {
                if (auto failure = read_message(child, criterion)) return failure;
            } else {
                return error_at(child, "unknown element <" + std::string(name) + "> in <criterion>");
            }
        }
        if (criterion.citations.empty()) return error_at(node, "criterion " + id + " cites no framework clause");

        if (overriding) *existing = std::move(criterion);
        else pack.criteria.push_back(std::move(criterion));
        return std::nullopt;
    }

    std::optional<Failure> read_parameter(pugi::xml_node node, PackCriterion& criterion) {
        if (auto failure = only_attributes(node, {"name", "value"})) return failure;
        const std::string name = node.attribute("name").value();
        const ParameterSpec* spec = criterion.kind->parameter(name);
        if (spec == nullptr) return error_at(node, "unknown parameter \"" + name + "\" for check \"" + criterion.kind->name + "\"");
        auto value = parse_parameter(*spec, node.attribute("value").value());
        if (!value) return error_at(node, "parameter " + name + " must be an ISO 8601 duration in weeks, days, hours, minutes or seconds");
        criterion.parameters[name] = *value;
        return std::nullopt;
    }

    std::optional<Failure> read_message(pugi::xml_node node, PackCriterion& criterion) {
        if (auto failure = only_attributes(node, {"key", "severity", "summary", "detail"})) return failure;
        const std::string key = node.attribute("key").value();
        const MessageSpec* spec = criterion.kind->message(key);
        if (spec == nullptr) return error_at(node, "unknown message \"" + key + "\" for check \"" + criterion.kind->name + "\"");
        PackMessage& message = criterion.messages[key];
        if (const auto severity = node.attribute("severity")) {
            message.severity = severity_from(severity.value());
            if (!message.severity) return error_at(node, "severity must be info, warning or critical");
        }
        for (const char* field : {"summary", "detail"}) {
            const auto attribute = node.attribute(field);
            if (!attribute) continue;
            const std::string text = attribute.value();
            for (const auto& placeholder : placeholders_in(text)) {
                if (std::find(spec->placeholders.begin(), spec->placeholders.end(), placeholder) == spec->placeholders.end()) {
                    return error_at(node, "message " + key + " has no placeholder {" + placeholder + "}");
                }
            }
            (std::string_view(field) == "summary" ? message.summary : message.detail) = text;
        }
        return std::nullopt;
    }

    std::optional<Failure> only_attributes(pugi::xml_node node, std::initializer_list<std::string_view> allowed) {
        for (const pugi::xml_attribute attribute : node.attributes()) {
            if (std::find(allowed.begin(), allowed.end(), std::string_view(attribute.name())) == allowed.end()) {
                return error_at(node, "unknown attribute \"" + std::string(attribute.name()) + "\" on <" + node.name() + ">");
            }
        }
        return std::nullopt;
    }

    Failure error_at(pugi::xml_node node, const std::string& message) const {
        return error_at_offset(static_cast<std::size_t>(std::max<std::ptrdiff_t>(node.offset_debug(), 0)), message);
    }

    Failure error_at_offset(std::size_t offset, const std::string& message) const {
        return Failure{CASECHECK_E_CONFIG, "rule pack " + source_ + ", " + model::text_position(xml_, offset) + ": " + message};
    }

    std::string_view xml_;
    std::string source_;
    int depth_;
    std::set<std::string> declared_here_;
};

}  // namespace

Result<RulePack> read_rule_pack(std::string_view xml, const std::string& source) { return PackReader(xml, source, 0).read(); }

std::optional<std::string_view> builtin_rule_pack_xml(std::string_view id) {
    for (const auto& [pack_id, xml] : builtin_rule_packs) {
        if (pack_id == id) return xml;
    }
    return std::nullopt;
}

std::vector<std::string> builtin_rule_pack_ids() {
    std::vector<std::string> ids;
    for (const auto& pack : builtin_rule_packs) ids.emplace_back(pack.first);
    return ids;
}

}  // namespace casecheck
