// FHIR R4 XML <-> JSON. One recursive walk per direction, each led by the element tables: the writer
// visits a type's elements in table order, which is what puts the XML in StructureDefinition order.
#include "casecheck/fhir/xml.hpp"

#include "casecheck/model/text_position.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <utility>
#include <vector>

namespace casecheck::fhir {
namespace {

using nlohmann::ordered_json;

// How values of a type are written. The primitives come first: is_primitive relies on it.
enum class Kind : std::uint8_t {
    boolean,
    integer,
    positive_int,
    unsigned_int,
    decimal,
    string,        // every other primitive: code, uri, dateTime, base64Binary...
    xhtml,         // Narrative.div
    complex,       // a datatype or a backbone element
    resource,      // a resource type the tables cover
    any_resource,  // a nested resource of any type: contained, Bundle.entry.resource
};

// An element's max cardinality, or its place as an XML attribute (Element.id, Extension.url).
enum class Form : std::uint8_t { single, array, attribute };

struct TypeDef {
    const char* name;
    Kind kind;
    std::uint16_t first;  // its elements are kElements[first, first + count)
    std::uint16_t count;
};

struct ElementDef {
    const char* name;
    std::uint16_t type;  // index in kTypes
    Form form;
};

#include "r4_elements.inc"

static_assert(std::size(kTypes) == type_count);

constexpr std::string_view kFhirNamespace = "http://hl7.org/fhir";
constexpr std::string_view kXhtmlNamespace = "http://www.w3.org/1999/xhtml";
// Nested elements, XHTML included: far beyond real resources, and shallow enough for the stack.
constexpr int kMaxDepth = 128;
const std::string kTooDeep = "nests deeper than " + std::to_string(kMaxDepth) + " elements";
// Whitespace is kept because it is content inside narrative XHTML; elsewhere it is skipped.
constexpr unsigned kParseOptions = pugi::parse_default | pugi::parse_ws_pcdata;

bool is_primitive(Kind kind) { return kind <= Kind::string; }

const TypeDef& type_of(const ElementDef& element) { return kTypes[element.type]; }

// A type's elements, in StructureDefinition order.
struct ElementRange {
    const ElementDef* first;
    const ElementDef* last;
    const ElementDef* begin() const { return first; }
    const ElementDef* end() const { return last; }
};

ElementRange elements_of(const TypeDef& type) {
    return {kElements + type.first, kElements + type.first + type.count};
}

const ElementDef* find_element(const TypeDef& type, std::string_view name) {
    for (const ElementDef& element : elements_of(type)) {
        if (name == element.name) return &element;
    }
    return nullptr;
}

const TypeDef* find_resource(std::string_view name) {
    for (const TypeDef& type : kTypes) {
        if (type.kind == Kind::resource && name == type.name) return &type;
    }
    return nullptr;
}

bool is_other_resource(std::string_view name) {
    return std::any_of(std::begin(kOtherResourceTypes), std::end(kOtherResourceTypes),
                       [&](const char* other) { return name == other; });
}

// What a primitive's value must be, as the end of an error message.
std::string expectation(Kind kind) {
    switch (kind) {
        case Kind::boolean: return "must be true or false";
        case Kind::integer: return "must be a 32-bit integer";
        case Kind::positive_int: return "must be a positive 32-bit integer";
        case Kind::unsigned_int: return "must be a non-negative 32-bit integer";
        case Kind::decimal: return "must be a decimal number";
        default: return "must be a string";
    }
}

bool integer_in_range(std::int64_t value, Kind kind) {
    const std::int64_t low = kind == Kind::positive_int   ? 1
                             : kind == Kind::unsigned_int ? 0
                                                          : std::numeric_limits<std::int32_t>::min();
    return value >= low && value <= std::numeric_limits<std::int32_t>::max();
}

// FHIR's decimal grammar, -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, which also keeps out
// everything JSON numbers cannot say (NaN, infinities, hex).
bool is_decimal_text(std::string_view text) {
    std::size_t i = 0;
    const auto skip = [&](std::string_view chars) {
        if (i < text.size() && chars.find(text[i]) != std::string_view::npos) ++i;
    };
    const auto digits = [&] {
        const std::size_t start = i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
        return i - start;
    };
    skip("-");
    const std::size_t integer_start = i;
    const std::size_t integer_digits = digits();
    if (integer_digits == 0 || (integer_digits > 1 && text[integer_start] == '0')) return false;
    if (i < text.size() && text[i] == '.') {
        ++i;
        if (digits() == 0) return false;
    }
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        skip("+-");
        if (digits() == 0) return false;
    }
    return i == text.size();
}

// A primitive's JSON value from the text of its XML value attribute; nullopt if the text is not of `kind`.
std::optional<ordered_json> primitive_from_text(std::string_view text, Kind kind) {
    switch (kind) {
        case Kind::boolean:
            if (text != "true" && text != "false") return std::nullopt;
            return ordered_json(text == "true");
        case Kind::integer:
        case Kind::positive_int:
        case Kind::unsigned_int: {
            std::int64_t value = 0;
            const char* end = text.data() + text.size();
            const auto [stop, status] = std::from_chars(text.data(), end, value);
            if (status != std::errc() || stop != end || !integer_in_range(value, kind)) return std::nullopt;
            return ordered_json(value);
        }
        case Kind::decimal: {
            if (!is_decimal_text(text)) return std::nullopt;
            // nlohmann keeps integers exact and the rest as doubles: the nearest it has to the text.
            ordered_json value = ordered_json::parse(text, nullptr, false);
            if (!value.is_number() || (value.is_number_float() && !std::isfinite(value.get<double>()))) {
                return std::nullopt;  // beyond a double: nlohmann refuses it
            }
            return value;
        }
        default: return ordered_json(std::string(text));
    }
}

// The text of a primitive's XML value attribute; nullopt if the JSON value is not of `kind`.
std::optional<std::string> primitive_to_text(const ordered_json& value, Kind kind) {
    switch (kind) {
        case Kind::boolean:
            if (!value.is_boolean()) return std::nullopt;
            return value.get<bool>() ? "true" : "false";
        case Kind::integer:
        case Kind::positive_int:
        case Kind::unsigned_int: {
            if (!value.is_number_integer()) return std::nullopt;
            // Above INT64_MAX an unsigned value would wrap; it is out of range anyway.
            if (value.is_number_unsigned() && value.get<std::uint64_t>() > std::numeric_limits<std::int32_t>::max()) {
                return std::nullopt;
            }
            const auto integer = value.get<std::int64_t>();
            if (!integer_in_range(integer, kind)) return std::nullopt;
            return std::to_string(integer);
        }
        case Kind::decimal:
            if (!value.is_number() || (value.is_number_float() && !std::isfinite(value.get<double>()))) {
                return std::nullopt;
            }
            return value.dump();  // shortest text that reads back as the same double
        default:
            if (!value.is_string()) return std::nullopt;
            return value.get<std::string>();
    }
}

// XML 1.0 cannot carry control characters other than tabs and line breaks, not even as references.
// pugixml reads them anyway, so the reader checks too: what it accepts, the writer can write.
bool is_control_character(char c) {
    return static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r';
}
const std::string kControlCharacter = "contains a control character, which XML cannot carry";

// Appends text escaped for a double-quoted XML attribute; false on a control character.
// Tabs and line breaks become character references, or a reader would normalise them to spaces.
bool append_attribute_text(std::string& out, std::string_view text) {
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\t': out += "&#9;"; break;
            case '\n': out += "&#10;"; break;
            case '\r': out += "&#13;"; break;
            default:
                if (is_control_character(c)) return false;
                out += c;
        }
    }
    return true;
}

std::string pointer_to(const std::string& pointer, std::string_view key) {
    std::string out = pointer + "/";
    for (const char c : key) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
    }
    return out;
}

std::string position_text(std::string_view text, std::ptrdiff_t offset) {
    return model::text_position(text, offset > 0 ? static_cast<std::size_t>(offset) : 0);
}

std::string_view local_name(pugi::xml_node node) {
    const std::string_view name = node.name();
    return name.substr(name.find(':') + 1);  // npos + 1 == 0
}

// The namespace of an element: the nearest declaration of its prefix, or of the default namespace.
// pugixml does not resolve namespaces, so neither prefixes nor the default can be taken on trust.
std::string_view namespace_of(pugi::xml_node node) {
    const std::string_view name = node.name();
    const std::size_t colon = name.find(':');
    const std::string declaration =
        colon == std::string_view::npos ? "xmlns" : "xmlns:" + std::string(name.substr(0, colon));
    for (pugi::xml_node scope = node; scope; scope = scope.parent()) {
        if (const pugi::xml_attribute attribute = scope.attribute(declaration.c_str())) return attribute.value();
    }
    return {};
}

// The first element `limit` or more levels below the children of `root`. pugixml walks the tree
// without recursion, so this is safe on any input, and makes the recursive walks below safe too.
pugi::xml_node first_too_deep(pugi::xml_node root, int limit) {
    struct Walker : pugi::xml_tree_walker {
        explicit Walker(int depth_limit) : limit(depth_limit) {}
        bool for_each(pugi::xml_node& node) override {
            if (node.type() != pugi::node_element || depth() < limit) return true;
            found = node;
            return false;
        }
        int limit;
        pugi::xml_node found;
    } walker(limit);
    root.traverse(walker);
    return walker.found;
}

// A narrative div in its JSON form: serialised on its own, declaring the XHTML namespace itself.
std::string div_text(pugi::xml_node div) {
    struct StringWriter : pugi::xml_writer {
        void write(const void* data, std::size_t size) override { text.append(static_cast<const char*>(data), size); }
        std::string text;
    } writer;
    pugi::xml_document copy;
    if (!div.attribute("xmlns")) {
        div = copy.append_copy(div);
        div.prepend_attribute("xmlns").set_value(std::string(kXhtmlNamespace).c_str());
    }
    div.print(writer, "", pugi::format_raw, pugi::encoding_utf8);
    return writer.text;
}

const ordered_json& empty_object() {
    static const ordered_json empty = ordered_json::object();
    return empty;
}

// Writes XML text from JSON, checking the JSON against the tables on the way. After the first error
// nothing more is checked; the caller discards the text.
class XmlWriter {
public:
    explicit XmlWriter(std::optional<XmlError>& error) : error_(error) {}

    std::string take() { return std::move(out_); }

    // <Type>...</Type> for a resource at `depth` (1 for the root, which declares the namespace).
    void resource(const ordered_json& value, const std::string& pointer, int depth) {
        if (!value.is_object()) return fail(pointer, "must be a resource object");
        const auto type_name = value.find("resourceType");
        if (type_name == value.end() || !type_name->is_string()) {
            return fail(pointer + "/resourceType", "must name the resource type");
        }
        const TypeDef* type = find_resource(type_name->get_ref<const std::string&>());
        if (type == nullptr) return fail(pointer + "/resourceType", "is not a resource type the tables cover");
        const std::string declaration = " xmlns=\"" + std::string(kFhirNamespace) + "\"";
        structure(type->name, *type, value, pointer, depth, depth == 1 ? declaration : "");
    }

private:
    // <tag attributes>elements</tag> from a JSON object of a complex, resource or Element type.
    void structure(std::string_view tag, const TypeDef& type, const ordered_json& object, const std::string& pointer,
                   int depth, std::string_view extra_attributes) {
        if (error_) return;
        if (depth > kMaxDepth) return fail(pointer, kTooDeep);
        if (!object.is_object()) return fail(pointer, "must be an object");
        check_keys(type, object, pointer);
        indent(depth);
        out_ += '<';
        out_ += tag;
        for (const ElementDef& element : elements_of(type)) {
            const auto value = object.find(element.name);
            if (element.form == Form::attribute && value != object.end()) {
                append_attribute(out_, element.name, *value, type_of(element).kind, pointer + "/" + element.name);
            }
        }
        out_ += extra_attributes;
        out_ += ">\n";
        const std::size_t content_start = out_.size();
        for (const ElementDef& element : elements_of(type)) {
            if (element.form != Form::attribute) member(element, object, pointer, depth + 1);
        }
        if (out_.size() == content_start) {
            out_.resize(content_start - 2);
            out_ += "/>\n";
        } else {
            close_tag(tag, depth);
        }
    }

    // Every key must be an element of the type, or "_" and a primitive element for its id and extensions.
    void check_keys(const TypeDef& type, const ordered_json& object, const std::string& pointer) {
        for (const auto& item : object.items()) {
            const std::string& key = item.key();
            if (key == "resourceType" && type.kind == Kind::resource) continue;
            const bool underscored = key.size() > 1 && key[0] == '_';
            const ElementDef* element = find_element(type, underscored ? key.substr(1) : key);
            if (element != nullptr && (!underscored || (is_primitive(type_of(*element).kind) &&
                                                        element->form != Form::attribute))) {
                continue;
            }
            return fail(pointer_to(pointer, key), std::string("is not an element of ") + type.name);
        }
    }

    // All the repeats of one element of `object`.
    void member(const ElementDef& element, const ordered_json& object, const std::string& pointer, int depth) {
        const TypeDef& type = type_of(element);
        if (is_primitive(type.kind)) return primitive_member(element, object, pointer, depth);
        const auto value = object.find(element.name);
        if (value == object.end()) return;
        const std::string path = pointer + "/" + element.name;
        const auto write = [&](const ordered_json& item, const std::string& item_path) {
            if (type.kind == Kind::xhtml) return div(item, item_path, depth);
            if (type.kind != Kind::any_resource) return structure(element.name, type, item, item_path, depth, "");
            open_tag(element.name, depth);
            resource(item, item_path, depth + 1);
            close_tag(element.name, depth);
        };
        if (element.form == Form::single) {
            if (value->is_array()) return fail(path, "must be a single value, not an array");
            return write(*value, path);
        }
        if (!value->is_array()) return fail(path, "must be an array");
        for (std::size_t i = 0; i < value->size() && !error_; ++i) write((*value)[i], path + "/" + std::to_string(i));
    }

    // A primitive's values under its name and its ids and extensions under "_" + name; for a repeating
    // element, two parallel arrays with nulls where an item lacks one or the other.
    void primitive_member(const ElementDef& element, const ordered_json& object, const std::string& pointer,
                          int depth) {
        const std::string name = element.name;
        const auto values = object.find(name);
        const auto extras = object.find("_" + name);
        const ordered_json* value = values == object.end() ? nullptr : &*values;
        const ordered_json* extra = extras == object.end() ? nullptr : &*extras;
        if (value == nullptr && extra == nullptr) return;
        const std::string value_path = pointer + "/" + name;
        const std::string extra_path = pointer + "/_" + name;
        const Kind kind = type_of(element).kind;
        if (element.form == Form::single) return primitive(name, kind, value, extra, value_path, extra_path, depth);

        if (value != nullptr && !value->is_array()) return fail(value_path, "must be an array");
        if (extra != nullptr && !extra->is_array()) return fail(extra_path, "must be an array");
        if (value != nullptr && extra != nullptr && value->size() != extra->size()) {
            return fail(extra_path, "must have as many items as " + value_path);
        }
        const std::size_t count = value != nullptr ? value->size() : extra->size();
        for (std::size_t i = 0; i < count && !error_; ++i) {
            const std::string index = "/" + std::to_string(i);
            primitive(name, kind, value != nullptr ? &(*value)[i] : nullptr,
                      extra != nullptr ? &(*extra)[i] : nullptr, value_path + index, extra_path + index, depth);
        }
    }

    // <tag id=".." value="..">extensions</tag>; either part may be missing or null, but not both.
    void primitive(std::string_view tag, Kind kind, const ordered_json* value, const ordered_json* extra,
                   const std::string& value_path, const std::string& extra_path, int depth) {
        const bool has_value = value != nullptr && !value->is_null();
        const bool has_extra = extra != nullptr && !extra->is_null();
        if (!has_value && !has_extra) return fail(value_path, "has neither a value nor an extension");
        std::string value_attribute;
        if (has_value) append_attribute(value_attribute, "value", *value, kind, value_path);
        if (error_) return;
        structure(tag, kTypes[t_Element], has_extra ? *extra : empty_object(), extra_path, depth, value_attribute);
    }

    void div(const ordered_json& value, const std::string& pointer, int depth) {
        if (!value.is_string()) return fail(pointer, "must be a string of XHTML");
        const std::string& text = value.get_ref<const std::string&>();
        pugi::xml_document document;
        const pugi::xml_parse_result parsed =
            document.load_buffer(text.data(), text.size(), kParseOptions, pugi::encoding_utf8);
        if (!parsed) {
            return fail(pointer, std::string("is not well-formed XHTML: ") + parsed.description() + " at " +
                                     position_text(text, parsed.offset) + " of the div");
        }
        const pugi::xml_node div = document.first_child();
        const pugi::xml_attribute declared = div.attribute("xmlns");
        if (div != document.last_child() || std::string_view(div.name()) != "div" ||
            (declared && declared.value() != kXhtmlNamespace)) {
            return fail(pointer, "must be a single <div> element in the XHTML namespace");
        }
        if (first_too_deep(document, kMaxDepth - depth + 1)) return fail(pointer, kTooDeep);
        indent(depth);
        out_ += div_text(div);
        out_ += '\n';
    }

    // ` name="text"` from a JSON primitive of `kind`.
    void append_attribute(std::string& out, std::string_view name, const ordered_json& value, Kind kind,
                          const std::string& pointer) {
        const auto text = primitive_to_text(value, kind);
        if (!text) return fail(pointer, expectation(kind));
        out += ' ';
        out += name;
        out += "=\"";
        if (!append_attribute_text(out, *text)) return fail(pointer, kControlCharacter);
        out += '"';
    }

    void open_tag(std::string_view tag, int depth) {
        indent(depth);
        out_ += '<';
        out_ += tag;
        out_ += ">\n";
    }

    void close_tag(std::string_view tag, int depth) {
        indent(depth);
        out_ += "</";
        out_ += tag;
        out_ += ">\n";
    }

    void indent(int depth) { out_.append(2 * static_cast<std::size_t>(depth - 1), ' '); }

    void fail(const std::string& pointer, const std::string& message) {
        if (!error_) error_ = XmlError{pointer, message};
    }

    std::string out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    std::optional<XmlError>& error_;
};

// Reads JSON from a parsed XML document, checking every element against the tables. After the first
// error nothing more is checked; the caller discards the JSON.
class XmlReader {
public:
    XmlReader(std::string_view text, std::optional<XmlError>& error) : text_(text), error_(error) {}

    ordered_json document(const pugi::xml_document& document) {
        const pugi::xml_node root = document.document_element();
        const std::string path = "/" + std::string(local_name(root));
        if (const pugi::xml_node deep = first_too_deep(document, kMaxDepth)) {
            fail(deep, path, kTooDeep);
        } else if (namespace_of(root) != kFhirNamespace) {
            fail(root, path, "the root element is not in the FHIR namespace " + std::string(kFhirNamespace));
        } else if (find_resource(local_name(root)) == nullptr) {
            fail(root, path, "the root element is not a resource type the tables cover");
        }
        return error_ ? ordered_json() : resource(root, path);
    }

private:
    // The child elements of one node, each with its row in the tables.
    using Children = std::vector<std::pair<const ElementDef*, pugi::xml_node>>;

    // A resource element such as <Patient>; one of a type outside the tables keeps only its type.
    ordered_json resource(pugi::xml_node node, const std::string& path) {
        ordered_json object = ordered_json::object();
        const std::string_view name = local_name(node);
        object["resourceType"] = std::string(name);
        const TypeDef* type = find_resource(name);
        if (namespace_of(node) != kFhirNamespace) {
            fail(node, path, "is not in the FHIR namespace");
        } else if (type != nullptr) {
            structure(node, *type, path, object);
        } else if (!is_other_resource(name)) {
            fail(node, path, "is not an R4 resource type");
        }
        return object;
    }

    // The attributes and child elements of `node` into `object`, in table order. A primitive element
    // (`primitive`, read as an Element) also has a value attribute, which its caller reads.
    void structure(pugi::xml_node node, const TypeDef& type, const std::string& path, ordered_json& object,
                   bool primitive = false) {
        check_attributes(node, type, path, primitive);
        Children children;
        for_each_child(node, path, [&](pugi::xml_node child) {
            const ElementDef* element = find_element(type, local_name(child));
            const std::string_view expected_namespace =
                element != nullptr && type_of(*element).kind == Kind::xhtml ? kXhtmlNamespace : kFhirNamespace;
            if (element == nullptr || element->form == Form::attribute || namespace_of(child) != expected_namespace) {
                return fail(child, path + "/" + child.name(), std::string("is not an element of ") + type.name);
            }
            children.emplace_back(element, child);
        });
        // Repeats that are not adjacent in the XML still make one JSON array, in document order.
        std::stable_sort(children.begin(), children.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        auto next = children.begin();
        for (const ElementDef& element : elements_of(type)) {
            if (error_) return;
            if (element.form == Form::attribute) {
                if (const pugi::xml_attribute value = node.attribute(element.name)) {
                    object[element.name] = primitive_value(node, value.value(), type_of(element).kind, path);
                }
                continue;
            }
            const auto group_end =
                std::find_if(next, children.end(), [&](const auto& child) { return child.first != &element; });
            if (group_end != next) member(element, next, group_end, path, object);
            next = group_end;
        }
    }

    // All the repeats of one element, [first, last), into `object`.
    void member(const ElementDef& element, Children::const_iterator first, Children::const_iterator last,
                const std::string& path, ordered_json& object) {
        const TypeDef& type = type_of(element);
        const std::string name = element.name;
        const bool repeats = element.form == Form::array;
        if (!repeats && last - first > 1) {
            return fail(std::next(first)->second, path + "/" + name,
                        "occurs more than once, but may occur at most once");
        }
        ordered_json values = ordered_json::array();
        ordered_json extras = ordered_json::array();  // a primitive's ids and extensions, null where it has none
        bool any_extra = false;
        for (auto it = first; it != last && !error_; ++it) {
            const pugi::xml_node node = it->second;
            const std::string index = repeats ? "[" + std::to_string(it - first + 1) + "]" : "";
            const std::string item_path = path + "/" + name + index;
            if (is_primitive(type.kind)) {
                ordered_json extra = ordered_json::object();
                structure(node, kTypes[t_Element], item_path, extra, true);
                const pugi::xml_attribute value = node.attribute("value");
                if (!value && extra.empty()) fail(node, item_path, "has neither a value nor an extension");
                values.push_back(value ? primitive_value(node, value.value(), type.kind, item_path) : nullptr);
                any_extra = any_extra || !extra.empty();
                extras.push_back(extra.empty() ? ordered_json() : std::move(extra));
            } else if (type.kind == Kind::xhtml) {
                values.push_back(div(node, item_path));
            } else if (type.kind == Kind::any_resource) {
                values.push_back(nested_resource(node, item_path));
            } else {
                ordered_json item = ordered_json::object();
                structure(node, type, item_path, item);
                values.push_back(std::move(item));
            }
        }
        if (error_) return;
        if (repeats) {
            object[name] = std::move(values);
        } else if (!values[0].is_null()) {
            object[name] = std::move(values[0]);
        }
        if (any_extra) object["_" + name] = repeats ? std::move(extras) : std::move(extras[0]);
    }

    // <resource><Patient>...</Patient></resource>, and the same for contained.
    ordered_json nested_resource(pugi::xml_node node, const std::string& path) {
        check_attributes(node, kTypes[t_Resource], path, false);
        pugi::xml_node inner;
        int count = 0;
        for_each_child(node, path, [&](pugi::xml_node child) {
            inner = child;
            ++count;
        });
        if (error_) return nullptr;
        if (count != 1) {
            fail(node, path, "must hold exactly one resource");
            return nullptr;
        }
        return resource(inner, path + "/" + std::string(local_name(inner)));
    }

    ordered_json div(pugi::xml_node node, const std::string& path) {
        if (std::string_view(node.name()) != "div") {
            fail(node, path, "must be a <div> in the default XHTML namespace");
            return nullptr;
        }
        return div_text(node);
    }

    ordered_json primitive_value(pugi::xml_node node, std::string_view text, Kind kind, const std::string& path) {
        if (std::any_of(text.begin(), text.end(), is_control_character)) {
            fail(node, path, kControlCharacter);
            return nullptr;
        }
        auto value = primitive_from_text(text, kind);
        if (!value) {
            fail(node, path, "value " + expectation(kind));
            return nullptr;
        }
        return std::move(*value);
    }

    // Attributes are the type's attribute elements, plus `value` on primitives. Namespace declarations
    // and attributes of other vocabularies (xsi:schemaLocation) are not FHIR content.
    void check_attributes(pugi::xml_node node, const TypeDef& type, const std::string& path, bool primitive) {
        for (const pugi::xml_attribute attribute : node.attributes()) {
            const std::string_view name = attribute.name();
            if (name == "xmlns" || name.find(':') != std::string_view::npos || (primitive && name == "value")) continue;
            const ElementDef* element = find_element(type, name);
            if (element == nullptr || element->form != Form::attribute) {
                return fail(node, path + "/@" + std::string(name), std::string("is not an attribute of ") + type.name);
            }
        }
    }

    // Calls `visit` for each child element; text other than whitespace is an error.
    template <typename Visit>
    void for_each_child(pugi::xml_node node, const std::string& path, Visit visit) {
        for (const pugi::xml_node child : node.children()) {
            if (error_) return;
            if (child.type() == pugi::node_element) {
                visit(child);
            } else if ((child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) &&
                       std::string_view(child.value()).find_first_not_of(" \t\r\n") != std::string_view::npos) {
                fail(child, path, "has text content, which a FHIR element cannot have");
            }
        }
    }

    // The position is that of the element's "<" (pugixml gives that of its name), or of the text.
    void fail(pugi::xml_node node, const std::string& path, const std::string& message) {
        const std::ptrdiff_t offset = node.offset_debug() - (node.type() == pugi::node_element ? 1 : 0);
        if (!error_) error_ = XmlError{path, message + " (" + position_text(text_, offset) + ")"};
    }

    std::string_view text_;
    std::optional<XmlError>& error_;
};

}  // namespace

XmlWriteResult write_xml(const ordered_json& resource) {
    XmlWriteResult result;
    XmlWriter writer(result.error);
    writer.resource(resource, "", 1);
    if (!result.error) result.xml = writer.take();
    return result;
}

XmlReadResult read_xml(std::string_view xml) {
    XmlReadResult result;
    pugi::xml_document document;
    const pugi::xml_parse_result parsed =
        document.load_buffer(xml.data(), xml.size(), kParseOptions, pugi::encoding_utf8);
    if (!parsed) {
        // pugixml's descriptions are fixed texts, so they are safe to pass on.
        result.error = XmlError{"", std::string("not well-formed XML: ") + parsed.description() + " at " +
                                        position_text(xml, parsed.offset)};
        return result;
    }
    XmlReader reader(xml, result.error);
    ordered_json resource = reader.document(document);
    if (!result.error) result.resource = std::move(resource);
    return result;
}

}  // namespace casecheck::fhir
