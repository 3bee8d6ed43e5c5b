#include "common/tokenizer/byte_level_bpe.h"

#include <fmt/format.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <fstream>
#include <functional>
#include <sstream>
#include <unordered_map>

#include "common/input_error.h"
#include "common/tokenizer/split_regex.h"

namespace llmbench::tokenizer {

namespace {

namespace json = boost::json;

// GPT-2's pre-tokenizer regex, used by ByteLevel when its use_regex is true.
constexpr std::string_view kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

// Byte-level BPE writes each byte as a printable code point (GPT-2's bytes_to_unicode): the
// printable Latin-1 bytes stand for themselves, the other 68 bytes become U+0100 + n in order.
// Returns the byte each code point stands for, -1 for a code point outside the alphabet.
const std::array<int, 324>& code_point_to_byte() {
  static const std::array<int, 324> table = [] {
    std::array<int, 324> t{};
    t.fill(-1);
    int n = 0;
    for (int b = 0; b < 256; ++b) {
      const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      if (printable) t[static_cast<std::size_t>(b)] = b;
      else t[static_cast<std::size_t>(256 + n++)] = b;
    }
    return t;
  }();
  return table;
}

// Decodes one byte-level token string (UTF-8 of alphabet code points) into the raw bytes.
bool alphabet_to_bytes(std::string_view mapped, std::string& out) {
  out.clear();
  const auto& table = code_point_to_byte();
  for (std::size_t i = 0; i < mapped.size();) {
    const auto c0 = static_cast<unsigned char>(mapped[i]);
    std::uint32_t cp = 0;
    if (c0 < 0x80) {
      cp = c0;
      i += 1;
    } else if ((c0 & 0xE0) == 0xC0 && i + 1 < mapped.size()) {
      cp = ((c0 & 0x1Fu) << 6) | (static_cast<unsigned char>(mapped[i + 1]) & 0x3Fu);
      i += 2;
    } else {
      return false;  // the alphabet has no code point above U+0143
    }
    if (cp >= table.size() || table[cp] < 0) return false;
    out.push_back(static_cast<char>(table[cp]));
  }
  return true;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), "", "cannot open tokenizer file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw InputError(path.string(), "", "read error");
  return std::move(buffer).str();
}

// Lets the vocabulary be searched by string_view without building a string per piece.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

struct Merge {
  std::uint32_t rank;
  std::uint32_t merged;
};

constexpr std::uint64_t pair_key(std::uint32_t left, std::uint32_t right) {
  return (static_cast<std::uint64_t>(left) << 32) | right;
}

class ByteLevelBpe final : public Tokenizer {
 public:
  ByteLevelBpe(const std::filesystem::path& path, const json::object& root) : file_(path.string()) {
    read_normalizer(root.if_contains("normalizer"));
    const json::value* pre = root.if_contains("pre_tokenizer");
    if (pre == nullptr || pre->is_null()) fail("pre_tokenizer", "missing: a byte-level BPE needs a ByteLevel pre-tokenizer");
    read_pre_tokenizer(*pre, "pre_tokenizer", /*first=*/true);
    if (!byte_level_seen_) fail("pre_tokenizer", "has no ByteLevel step: not a byte-level BPE tokenizer");
    read_model(root);
    read_added_tokens(root.if_contains("added_tokens"));
  }

  std::vector<std::uint32_t> encode(std::string_view text) const override {
    std::vector<std::uint32_t> ids;
    std::size_t plain_start = 0;
    std::size_t at = 0;
    // Added tokens are cut out of the raw text first, as Hugging Face's AddedVocabulary does.
    while (at < text.size() && !added_by_first_byte_.empty()) {
      const auto& candidates = added_by_first_byte_[static_cast<unsigned char>(text[at])];
      const AddedToken* hit = nullptr;
      for (const auto& token : candidates) {
        if (text.compare(at, token.content.size(), token.content) == 0) {
          hit = &token;  // longest first
          break;
        }
      }
      if (hit == nullptr) {
        ++at;
        continue;
      }
      encode_plain(text.substr(plain_start, at - plain_start), ids);
      ids.push_back(hit->id);
      at += hit->content.size();
      plain_start = at;
    }
    encode_plain(text.substr(plain_start), ids);
    return ids;
  }

  std::string decode(std::span<const std::uint32_t> ids) const override {
    std::string out;
    for (const std::uint32_t id : ids) {
      if (id < pieces_.size()) out += pieces_[id];
    }
    return out;
  }

  std::uint32_t vocab_size() const override { return static_cast<std::uint32_t>(pieces_.size()); }
  std::string piece(std::uint32_t id) const override {
    return id < pieces_.size() && !special_[id] ? pieces_[id] : std::string();
  }
  bool is_special(std::uint32_t id) const override { return id >= special_.size() || special_[id]; }
  std::string description() const override {
    return fmt::format("Hugging Face byte-level BPE, {} tokens ({})", pieces_.size(),
                       std::filesystem::path(file_).filename().string());
  }

 private:
  struct AddedToken {
    std::string content;
    std::uint32_t id;
  };

  [[noreturn]] void fail(const std::string& field, const std::string& problem) const {
    throw InputError(file_, field, problem);
  }

  void read_normalizer(const json::value* normalizer) {
    if (normalizer == nullptr || normalizer->is_null()) return;
    const auto* type = normalizer->is_object() ? normalizer->as_object().if_contains("type") : nullptr;
    if (type != nullptr && type->is_string() && type->as_string() == "NFC") {
      nfc_ = true;
      return;
    }
    fail("normalizer", "only null or NFC is supported for a byte-level BPE, not " + json::serialize(*normalizer));
  }

  void read_pre_tokenizer(const json::value& value, const std::string& field, bool first) {
    if (!value.is_object()) fail(field, "must be an object");
    const auto& obj = value.as_object();
    const auto* type_value = obj.if_contains("type");
    if (type_value == nullptr || !type_value->is_string()) fail(field + ".type", "missing");
    const std::string type(type_value->as_string());
    if (type == "Sequence") {
      const auto* list = obj.if_contains("pretokenizers");
      if (list == nullptr || !list->is_array()) fail(field + ".pretokenizers", "must be an array");
      std::size_t i = 0;
      for (const auto& item : list->as_array()) {
        read_pre_tokenizer(item, fmt::format("{}.pretokenizers[{}]", field, i), first && i == 0);
        ++i;
      }
    } else if (type == "Split") {
      read_split(obj, field);
    } else if (type == "ByteLevel") {
      byte_level_seen_ = true;
      const auto* prefix = obj.if_contains("add_prefix_space");
      if (prefix != nullptr && prefix->is_bool() && prefix->as_bool()) {
        // Hugging Face prepends the space to every piece the earlier steps made; only the
        // whole-text case (ByteLevel first) is implemented, which is the one models ship.
        if (!first) fail(field + ".add_prefix_space", "true after another pre-tokenizer is not supported");
        add_prefix_space_ = true;
      }
      const auto* use_regex = obj.if_contains("use_regex");
      if (use_regex == nullptr || (use_regex->is_bool() && use_regex->as_bool())) {
        splits_.push_back(std::make_unique<SplitRegex>(std::string(kGpt2Pattern)));
      }
    } else {
      fail(field + ".type", "pre-tokenizer \"" + type + "\" is not supported (Split, ByteLevel and Sequence are)");
    }
  }

  void read_split(const json::object& obj, const std::string& field) {
    const auto* behavior = obj.if_contains("behavior");
    if (behavior == nullptr || !behavior->is_string() || behavior->as_string() != "Isolated")
      fail(field + ".behavior", "only \"Isolated\" is supported");
    const auto* invert = obj.if_contains("invert");
    if (invert != nullptr && invert->is_bool() && invert->as_bool()) fail(field + ".invert", "true is not supported");
    const auto* pattern = obj.if_contains("pattern");
    if (pattern == nullptr || !pattern->is_object()) fail(field + ".pattern", "must be {\"Regex\": ...} or {\"String\": ...}");
    const auto& p = pattern->as_object();
    const bool literal = p.contains("String");
    const auto* text = literal ? p.if_contains("String") : p.if_contains("Regex");
    if (text == nullptr || !text->is_string()) fail(field + ".pattern", "must be {\"Regex\": ...} or {\"String\": ...}");
    try {
      splits_.push_back(std::make_unique<SplitRegex>(std::string(text->as_string()), literal));
    } catch (const std::invalid_argument& e) {
      fail(field + ".pattern", e.what());
    }
  }

  void read_model(const json::object& root) {
    const auto* model_value = root.if_contains("model");
    if (model_value == nullptr || !model_value->is_object()) fail("model", "missing");
    const auto& model = model_value->as_object();
    const auto* type = model.if_contains("type");
    if (type != nullptr && !(type->is_string() && type->as_string() == "BPE"))
      fail("model.type", "only BPE is supported, not " + json::serialize(*type));
    for (const char* key : {"continuing_subword_prefix", "end_of_word_suffix"}) {
      const auto* v = model.if_contains(key);
      if (v != nullptr && !v->is_null() && !(v->is_string() && v->as_string().empty()))
        fail(std::string("model.") + key, "is not supported by a byte-level BPE");
    }
    const auto* fallback = model.if_contains("byte_fallback");
    if (fallback != nullptr && fallback->is_bool() && fallback->as_bool())
      fail("model.byte_fallback", "true is a SentencePiece-style BPE: load the model's tokenizer.model instead");
    const auto* ignore = model.if_contains("ignore_merges");
    ignore_merges_ = ignore != nullptr && ignore->is_bool() && ignore->as_bool();

    const auto* vocab = model.if_contains("vocab");
    if (vocab == nullptr || !vocab->is_object()) fail("model.vocab", "must be an object of token: id");
    std::string bytes;
    for (const auto& [key, id_value] : vocab->as_object()) {
      if (!id_value.is_int64() || id_value.as_int64() < 0 || id_value.as_int64() > 0x7FFFFFFF)
        fail(fmt::format("model.vocab[\"{}\"]", std::string_view(key)), "must be a non-negative integer id");
      if (!alphabet_to_bytes(key, bytes))
        fail(fmt::format("model.vocab[\"{}\"]", std::string_view(key)), "is not in the byte-level alphabet");
      set_piece(static_cast<std::uint32_t>(id_value.as_int64()), bytes, false);
      vocab_.emplace(bytes, static_cast<std::uint32_t>(id_value.as_int64()));
    }
    for (int b = 0; b < 256; ++b) {
      const auto it = vocab_.find(std::string(1, static_cast<char>(b)));
      if (it == vocab_.end()) fail("model.vocab", fmt::format("has no token for byte 0x{:02X}", b));
      byte_ids_[static_cast<std::size_t>(b)] = it->second;
    }

    const auto* merges = model.if_contains("merges");
    if (merges == nullptr || !merges->is_array()) fail("model.merges", "must be an array");
    std::uint32_t rank = 0;
    std::string left;
    std::string right;
    for (const auto& item : merges->as_array()) {
      const std::string field = fmt::format("model.merges[{}]", rank);
      std::string_view a;
      std::string_view b;
      if (item.is_string()) {  // "a b" (tokenizers < 0.20)
        const std::string_view s = item.as_string();
        const auto space = s.find(' ');
        if (space == std::string_view::npos || s.find(' ', space + 1) != std::string_view::npos)
          fail(field, "must be two tokens separated by one space");
        a = s.substr(0, space);
        b = s.substr(space + 1);
      } else if (item.is_array() && item.as_array().size() == 2 && item.as_array()[0].is_string() &&
                 item.as_array()[1].is_string()) {  // ["a", "b"]
        a = item.as_array()[0].as_string();
        b = item.as_array()[1].as_string();
      } else {
        fail(field, "must be \"a b\" or [\"a\", \"b\"]");
      }
      if (!alphabet_to_bytes(a, left) || !alphabet_to_bytes(b, right)) fail(field, "is not in the byte-level alphabet");
      const auto l = vocab_.find(left);
      const auto r = vocab_.find(right);
      const auto m = vocab_.find(left + right);
      if (l == vocab_.end() || r == vocab_.end() || m == vocab_.end())
        fail(field, "names a token that is not in model.vocab");
      merges_.try_emplace(pair_key(l->second, r->second), Merge{rank, m->second});
      ++rank;
    }
  }

  void read_added_tokens(const json::value* added) {
    if (added == nullptr || added->is_null()) return;
    if (!added->is_array()) fail("added_tokens", "must be an array");
    std::size_t i = 0;
    std::vector<AddedToken> tokens;
    for (const auto& item : added->as_array()) {
      const std::string field = fmt::format("added_tokens[{}]", i++);
      if (!item.is_object()) fail(field, "must be an object");
      const auto& obj = item.as_object();
      const auto* id = obj.if_contains("id");
      const auto* content = obj.if_contains("content");
      if (id == nullptr || !id->is_int64() || id->as_int64() < 0 || id->as_int64() > 0x7FFFFFFF)
        fail(field + ".id", "must be a non-negative integer");
      if (content == nullptr || !content->is_string() || content->as_string().empty())
        fail(field + ".content", "must be a non-empty string");
      const auto* special = obj.if_contains("special");
      const bool is_special = special == nullptr || !special->is_bool() || special->as_bool();
      const std::string text(content->as_string());
      set_piece(static_cast<std::uint32_t>(id->as_int64()), text, is_special);
      tokens.push_back({text, static_cast<std::uint32_t>(id->as_int64())});
    }
    if (tokens.empty()) return;
    added_by_first_byte_.resize(256);
    // Longest first, so "<|eot_id|>" is not cut short by a shorter token sharing its start.
    std::sort(tokens.begin(), tokens.end(),
              [](const AddedToken& a, const AddedToken& b) { return a.content.size() > b.content.size(); });
    for (auto& token : tokens) {
      added_by_first_byte_[static_cast<unsigned char>(token.content[0])].push_back(std::move(token));
    }
  }

  void set_piece(std::uint32_t id, const std::string& bytes, bool special) {
    if (id >= pieces_.size()) {
      pieces_.resize(static_cast<std::size_t>(id) + 1);
      special_.resize(static_cast<std::size_t>(id) + 1, true);  // holes in the id space: never emitted
    }
    pieces_[id] = bytes;
    special_[id] = special;
  }

  // NFC via ICU; ASCII (every synthetic prompt) is already NFC and skips the round trip.
  std::string normalize(std::string_view text) const {
    if (std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
      return std::string(text);
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2* nfc = unorm2_getNFCInstance(&status);
    std::vector<UChar> utf16(text.size() + 1);
    int32_t utf16_length = 0;
    u_strFromUTF8WithSub(utf16.data(), static_cast<int32_t>(utf16.size()), &utf16_length, text.data(),
                         static_cast<int32_t>(text.size()), 0xFFFD, nullptr, &status);
    std::vector<UChar> normalized(static_cast<std::size_t>(utf16_length) * 3 + 16);
    const int32_t n = unorm2_normalize(nfc, utf16.data(), utf16_length, normalized.data(),
                                       static_cast<int32_t>(normalized.size()), &status);
    std::string out(static_cast<std::size_t>(n) * 3 + 4, '\0');
    int32_t out_length = 0;
    u_strToUTF8(out.data(), static_cast<int32_t>(out.size()), &out_length, normalized.data(), n, &status);
    if (U_FAILURE(status)) return std::string(text);  // keep the text rather than fail a request
    out.resize(static_cast<std::size_t>(out_length));
    return out;
  }

  void encode_plain(std::string_view raw, std::vector<std::uint32_t>& ids) const {
    if (raw.empty()) return;
    std::string owned;
    std::string_view text = raw;
    if (nfc_ || (add_prefix_space_ && raw.front() != ' ')) {
      owned = nfc_ ? normalize(raw) : std::string(raw);
      if (add_prefix_space_ && (owned.empty() || owned.front() != ' ')) owned.insert(owned.begin(), ' ');
      text = owned;
    }
    thread_local std::vector<std::string_view> pieces;
    thread_local std::vector<std::string_view> next;
    pieces.assign(1, text);
    for (const auto& split : splits_) {
      next.clear();
      for (const auto piece : pieces) split->split(piece, next);
      pieces.swap(next);
    }
    for (const auto piece : pieces) bpe(piece, ids);
  }

  // Merges the lowest-ranked adjacent pair first (leftmost on ties) until no pair has a merge,
  // as Hugging Face's BPE does: symbols in a linked list, candidate pairs in a min-heap, stale
  // candidates skipped when popped. O(n log n) per piece, so a 10,000-character run is fine.
  void bpe(std::string_view piece, std::vector<std::uint32_t>& ids) const {
    if (piece.size() == 1) {
      ids.push_back(byte_ids_[static_cast<unsigned char>(piece[0])]);
      return;
    }
    if (ignore_merges_) {
      const auto whole = vocab_.find(piece);
      if (whole != vocab_.end()) {
        ids.push_back(whole->second);
        return;
      }
    }
    struct Symbol {
      std::uint32_t id;
      std::int32_t prev;
      std::int32_t next;
    };
    struct Candidate {
      std::uint32_t rank;
      std::int32_t left;
      std::int32_t right;
      std::uint32_t left_id;
      std::uint32_t right_id;
      std::uint32_t merged;
      bool operator>(const Candidate& o) const { return rank != o.rank ? rank > o.rank : left > o.left; }
    };
    thread_local std::vector<Symbol> symbols;
    thread_local std::vector<Candidate> heap;  // a min-heap through std::push_heap/pop_heap
    symbols.clear();
    const auto n = static_cast<std::int32_t>(piece.size());
    for (std::int32_t i = 0; i < n; ++i) {
      symbols.push_back({byte_ids_[static_cast<unsigned char>(piece[static_cast<std::size_t>(i)])], i - 1,
                         i + 1 < n ? i + 1 : -1});
    }
    heap.clear();
    const auto consider = [&](std::int32_t left, std::int32_t right) {
      if (left < 0 || right < 0) return;
      const auto& l = symbols[static_cast<std::size_t>(left)];
      const auto& r = symbols[static_cast<std::size_t>(right)];
      const auto it = merges_.find(pair_key(l.id, r.id));
      if (it == merges_.end()) return;
      heap.push_back({it->second.rank, left, right, l.id, r.id, it->second.merged});
      std::push_heap(heap.begin(), heap.end(), std::greater<>{});
    };
    for (std::int32_t i = 0; i + 1 < n; ++i) consider(i, i + 1);
    while (!heap.empty()) {
      std::pop_heap(heap.begin(), heap.end(), std::greater<>{});
      const Candidate c = heap.back();
      heap.pop_back();
      auto& l = symbols[static_cast<std::size_t>(c.left)];
      // Stale: one side was merged away or changed since this pair was pushed.
      if (l.next != c.right || l.id != c.left_id || symbols[static_cast<std::size_t>(c.right)].id != c.right_id) continue;
      auto& r = symbols[static_cast<std::size_t>(c.right)];
      l.id = c.merged;
      l.next = r.next;
      if (r.next >= 0) symbols[static_cast<std::size_t>(r.next)].prev = c.left;
      r.id = UINT32_MAX;  // dead: never equal to a candidate's right_id
      r.next = -2;
      consider(l.prev, c.left);
      consider(c.left, l.next);
    }
    for (std::int32_t i = 0; i >= 0; i = symbols[static_cast<std::size_t>(i)].next) {
      ids.push_back(symbols[static_cast<std::size_t>(i)].id);
    }
  }

  std::string file_;
  bool nfc_ = false;
  bool add_prefix_space_ = false;
  bool byte_level_seen_ = false;
  bool ignore_merges_ = false;
  std::vector<std::unique_ptr<SplitRegex>> splits_;
  std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> vocab_;  // raw bytes -> id
  std::vector<std::string> pieces_;                        // id -> raw bytes
  std::vector<bool> special_;
  std::unordered_map<std::uint64_t, Merge> merges_;
  std::array<std::uint32_t, 256> byte_ids_{};
  std::vector<std::vector<AddedToken>> added_by_first_byte_;  // empty: no added tokens
};

}  // namespace

TokenizerPtr load_byte_level_bpe(const std::filesystem::path& path) {
  const std::string text = read_file(path);
  boost::system::error_code ec;
  const json::value root = json::parse(text, ec);
  if (ec) throw InputError(path.string(), "", "not valid JSON: " + ec.message());
  if (!root.is_object()) throw InputError(path.string(), "", "must be a JSON object (a tokenizer.json)");
  return std::make_shared<ByteLevelBpe>(path, root.as_object());
}

}  // namespace llmbench::tokenizer
