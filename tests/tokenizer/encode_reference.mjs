// The reference side of tests/tokenizer/byte_level_bpe_test.cc: encodes each line of a JSON
// array of strings with transformers.js' tokenizer (@lenml/tokenizers, the JS port of Hugging
// Face tokenizers) loaded from the same tokenizer.json, without special tokens, and prints the
// ids as a JSON array of arrays.
//   node encode_reference.mjs <tokenizer.json> <strings.json>
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(new URL("../compat/package.json", import.meta.url));
const { TokenizerLoader } = require("@lenml/tokenizers");

const [tokenizerPath, stringsPath] = process.argv.slice(2);
const tokenizerJSON = JSON.parse(readFileSync(tokenizerPath, "utf8"));
// The class and its options come from tokenizer_config.json next to tokenizer.json, if any.
const configPath = tokenizerPath.replace(/tokenizer\.json$/, "tokenizer_config.json");
let tokenizerConfig = {};
try {
  tokenizerConfig = JSON.parse(readFileSync(configPath, "utf8"));
} catch {}
const tokenizer = TokenizerLoader.fromPreTrained({ tokenizerJSON, tokenizerConfig });
const strings = JSON.parse(readFileSync(stringsPath, "utf8"));
const ids = strings.map((s) => tokenizer.encode(s, { add_special_tokens: false }));
process.stdout.write(JSON.stringify(ids));
